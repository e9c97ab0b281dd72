// A model's parameters as tf.Variables keyed by checkpoint name. Shared layers are one variable
// (transformers stores each group / inner layer once), tied weights alias the same variable.
import {
  type AlbertConfig,
  CheckpointError,
  type HeadName,
  headParams,
  tiedKeys,
  untiedDecoderParam,
  type WeightMap,
} from '@albertjs/core';
import { tf } from './tf.js';

let nextId = 0;

/** Where a ParamView's names resolve: the store, or the store with some tensors substituted (checkpointing). */
export interface ParamSource {
  get(name: string): tf.Tensor;
  transposed(name: string): tf.Tensor;
}

/** A tensor a module differentiates through: Wᵀ of a Linear weight (`transposed`), else the parameter itself. */
export interface ParamInput {
  name: string;
  transposed: boolean;
  tensor: tf.Tensor;
}

export class ParamStore implements ParamSource {
  /** Unique trainable parameters, checkpoint name → variable (no tied aliases). */
  readonly variables = new Map<string, tf.Variable>();
  private readonly aliases = new Map<string, string>();
  readonly id = nextId++;
  /** Transposed Linear weights of the current run (see transposed()). */
  runCache: Map<string, tf.Tensor> | undefined;

  constructor(head: HeadName, config: AlbertConfig, weights: WeightMap) {
    const specs = headParams(head, config);
    const untied = untiedDecoderParam(head, config);
    if (untied) specs.push(untied);
    try {
      for (const s of specs) {
        const t = weights.f32(s.name, s.shape);
        const init = tf.tensor(t.data, s.shape, 'float32');
        this.variables.set(s.name, tf.variable(init, true, `albertjs${this.id}/${s.name}`));
        init.dispose(); // the variable holds its own reference to the data
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
    for (const [target, source] of Object.entries(tiedKeys(head, config))) this.aliases.set(target, source);
  }

  get(name: string): tf.Variable {
    const v = this.variables.get(this.aliases.get(name) ?? name);
    if (!v) throw new CheckpointError(`parameter ${name} is not part of this model`);
    return v;
  }

  /** Names of the Linear weights ([out, in]), the tied decoder included. */
  linearWeights(): string[] {
    const names = [...this.variables]
      .filter(([n, v]) => v.rank === 2 && !/embeddings\.(word|position|token_type)_embeddings/.test(n))
      .map(([n]) => n);
    if (this.aliases.has('predictions.decoder.weight')) names.push('predictions.decoder.weight');
    return names;
  }

  /**
   * Starts a run: Wᵀ of every Linear weight, once. tfjs-wasm multiplies by a transposed operand several
   * times slower than by a plain one, and shared layers run many times per forward. Created in the
   * caller's scope (differentiable, freed with it) before any per-layer tidy.
   */
  beginRun(): void {
    this.runCache = new Map(this.linearWeights().map((n) => [n, tf.transpose(this.get(n))]));
  }

  endRun(): void {
    this.runCache = undefined;
  }

  /** Wᵀ ([in, out]) of a torch-layout Linear weight ([out, in]). */
  transposed(name: string): tf.Tensor {
    const hit = this.runCache?.get(name);
    if (hit) return hit;
    const t = tf.transpose(this.get(name)); // [in, out]
    this.runCache?.set(name, t);
    return t;
  }

  view(prefix = ''): ParamView {
    return new ParamView(this, prefix);
  }

  /**
   * The tensors a module under `prefix` differentiates through, in a fixed order: Wᵀ (this run's
   * transposed copy) of each of its Linear weights (the Linear gradient flows through Wᵀ only), every
   * other parameter as it is.
   */
  inputsUnder(prefix: string): ParamInput[] {
    const linear = new Set(this.linearWeights());
    const out: ParamInput[] = [];
    for (const [name, v] of this.variables) {
      if (!name.startsWith(`${prefix}.`)) continue;
      const transposed = linear.has(name);
      out.push({ name, transposed, tensor: transposed ? this.transposed(name) : v });
    }
    return out;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

/**
 * The store with `inputs` replaced by `tensors` (same order): a module run on this view differentiates
 * with respect to those tensors (gradient checkpointing's recompute). Other names resolve in the store.
 */
export class BoundParams implements ParamSource {
  private readonly plain = new Map<string, tf.Tensor>();
  private readonly transposedMap = new Map<string, tf.Tensor>();
  constructor(
    private readonly store: ParamStore,
    inputs: readonly ParamInput[],
    tensors: readonly tf.Tensor[],
  ) {
    if (tensors.length !== inputs.length)
      throw new CheckpointError(`BoundParams: ${inputs.length} parameter inputs but ${tensors.length} tensors`);
    for (let i = 0; i < inputs.length; i++) {
      const p = inputs[i]!;
      (p.transposed ? this.transposedMap : this.plain).set(p.name, tensors[i]!);
    }
  }
  get(name: string): tf.Tensor {
    return this.plain.get(name) ?? this.store.get(name);
  }
  transposed(name: string): tf.Tensor {
    return this.transposedMap.get(name) ?? this.store.transposed(name);
  }
}

/** A prefix view, as transformers' module nesting (`albert.encoder…`). */
export class ParamView {
  constructor(
    private readonly store: ParamSource,
    readonly prefix: string,
  ) {}
  pp(prefix: string): ParamView {
    return new ParamView(this.store, this.prefix ? `${this.prefix}.${prefix}` : prefix);
  }
  get(name: string): tf.Tensor {
    return this.store.get(this.full(name));
  }
  /** The tensors the module under this prefix differentiates through (see ParamStore.inputsUnder). */
  inputs(): ParamInput[] {
    if (!(this.store instanceof ParamStore))
      throw new CheckpointError(`ParamView ${this.prefix}: inputs() needs a view of the ParamStore itself`);
    return this.store.inputsUnder(this.prefix);
  }
  /** This view with `inputs` (from inputs()) replaced by `tensors`. */
  bind(inputs: readonly ParamInput[], tensors: readonly tf.Tensor[]): ParamView {
    if (!(this.store instanceof ParamStore))
      throw new CheckpointError(`ParamView ${this.prefix}: bind() needs a view of the ParamStore itself`);
    return new ParamView(new BoundParams(this.store, inputs, tensors), this.prefix);
  }
  /** Wᵀ of a Linear weight, once per run. */
  transposed(name: string): tf.Tensor {
    return this.store.transposed(this.full(name));
  }
  private full(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }
}
