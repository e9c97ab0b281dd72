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

export class ParamStore {
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

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

/** A prefix view, as transformers' module nesting (`albert.encoder…`). */
export class ParamView {
  constructor(
    private readonly store: ParamStore,
    readonly prefix: string,
  ) {}
  pp(prefix: string): ParamView {
    return new ParamView(this.store, this.prefix ? `${this.prefix}.${prefix}` : prefix);
  }
  get(name: string): tf.Tensor {
    return this.store.get(this.full(name));
  }
  /** Wᵀ of a Linear weight, once per run. */
  transposed(name: string): tf.Tensor {
    return this.store.transposed(this.full(name));
  }
  private full(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }
}
