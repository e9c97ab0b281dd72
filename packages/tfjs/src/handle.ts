// The loaded model: forward (inference), gradients (parity and training) and the hooks the trainer uses.
import {
  type AlbertConfig,
  type AlbertInputs,
  type AlbertModelHandle,
  type AttnImplementation,
  assembleOutput,
  bindWeights,
  checkAttnImplementation,
  type EmbeddingMethods,
  embeddingMethods,
  type ForwardOptions,
  type HeadName,
  type HeadOutputs,
  InputError,
  ModelLifecycle,
  onceWarner,
  type PreparedInputs,
  prepareInputs,
  type ResizedModel,
  type ResizeOptions,
  resolveAttention,
  type Tensor,
  type WeightMap,
} from '@albertjs/core';
import { fromTf, fromTfSync } from './convert.js';
import { type RunContext, seedStream } from './model/context.js';
import { type HeadResult, runHead } from './model/heads.js';
import { ParamStore } from './params.js';
import { activate } from './runtime.js';
import { toHeadInputs } from './tensors.js';
import { tf } from './tf.js';

export interface RunOptions extends ForwardOptions {
  /** Dropout on. Default false. */
  training?: boolean;
  /** Seed of this run's dropout masks (reproducible training). */
  seed?: number;
  /**
   * Only the loss is used (training, gradients): the MLM heads compute logits at the labelled positions
   * only, so their logits field is [N, V] over those rows. Default false.
   */
  lossOnly?: boolean;
  /** Overrides the model's `gradientCheckpointing` for this run. */
  gradientCheckpointing?: boolean;
}

export class TfjsAlbertModel<H extends HeadName = HeadName> implements AlbertModelHandle<H> {
  readonly backend: string;
  private store: ParamStore;
  private cfg: AlbertConfig;
  attnImplementation: AttnImplementation;
  /**
   * Gradient checkpointing (transformers' `gradient_checkpointing_enable()`): gradients() and training
   * keep only each layer application's input and recompute the layer in the backward pass, so a step's
   * peak memory holds one layer's activations instead of all of them, for about one more forward of time.
   * Same loss and gradients (dropout masks included). Default false.
   */
  gradientCheckpointing = false;
  private readonly life: ModelLifecycle;
  private readonly embeddings: EmbeddingMethods;
  private readonly warn = onceWarner((m) => console.warn(`@albertjs/tfjs: ${m}`));

  constructor(
    readonly head: H,
    config: AlbertConfig,
    weights: WeightMap,
    /** tfjs backend name the weights live on. */
    readonly tfBackend: string,
    attnImplementation: AttnImplementation = 'sdpa',
  ) {
    this.attnImplementation = checkAttnImplementation(attnImplementation);
    config.validate();
    this.cfg = config;
    this.backend = `tfjs-${tfBackend}`;
    this.store = new ParamStore(head, config, weights);
    this.life = new ModelLifecycle(`${head} on tfjs`, () => this.store.dispose());
    this.embeddings = embeddingMethods(this.life, () => this.resizable());
  }

  get config(): AlbertConfig {
    return this.cfg;
  }

  /** The parameters as tf.Variables (replaced by resizeTokenEmbeddings / setInputEmbeddings). */
  get params(): ParamStore {
    return this.store;
  }

  resizeTokenEmbeddings(newNumTokens: number, options?: ResizeOptions): Promise<number> {
    return this.embeddings.resizeTokenEmbeddings(newNumTokens, options);
  }

  getInputEmbeddings(): Promise<Tensor<Float32Array>> {
    return this.embeddings.getInputEmbeddings();
  }

  setInputEmbeddings(embeddings: Tensor<Float32Array>): Promise<void> {
    return this.embeddings.setInputEmbeddings(embeddings);
  }

  /** The current (possibly trained) variables as core's ResizableModel; replace() swaps in a new ParamStore. */
  private resizable() {
    return {
      head: this.head,
      config: this.cfg,
      currentWeights: async (): Promise<WeightMap> => {
        await activate(this.tfBackend);
        const raw = new Map([...this.store.variables].map(([name, v]) => [name, fromTfSync(v)] as const));
        return bindWeights(this.head, this.cfg, raw).weights;
      },
      replace: async (next: ResizedModel): Promise<void> => {
        await activate(this.tfBackend);
        const store = new ParamStore(this.head, next.config, next.weights);
        this.store.dispose();
        this.store = store;
        this.cfg = next.config;
      },
    };
  }

  /** transformers' `model.gradient_checkpointing_enable()`. */
  gradientCheckpointingEnable(): void {
    this.gradientCheckpointing = true;
  }

  /** transformers' `model.gradient_checkpointing_disable()`. */
  gradientCheckpointingDisable(): void {
    this.gradientCheckpointing = false;
  }

  /** Validates inputs on the host (throws InputError before any tensor exists). */
  prepare(inputs: AlbertInputs): PreparedInputs {
    this.life.check();
    return prepareInputs(this.head, this.config, inputs);
  }

  /**
   * Runs the head on prepared inputs; call inside tf.tidy (or a gradient function).
   * sdpa + head_mask warns and ignores the mask; sdpa + outputAttentions runs eager for that call.
   */
  run(prepared: PreparedInputs, options: RunOptions = {}): HeadResult {
    const { training, seed, lossOnly, gradientCheckpointing, ...forwardOptions } = options;
    const call = resolveAttention(this.config, this.attnImplementation, prepared, forwardOptions, this.warn);
    const inp = toHeadInputs(prepared, this.config, call.headMask);
    const ctx: RunContext = {
      config: this.config,
      attn: call.attn,
      training: training ?? false,
      lossOnly: lossOnly ?? false,
      outputAttentions: call.outputAttentions,
      outputHiddenStates: call.outputHiddenStates,
      checkpoint: gradientCheckpointing ?? this.gradientCheckpointing,
      ...(seed !== undefined ? { nextSeed: seedStream(seed) } : {}),
      ...(inp.headMask ? { headMask: inp.headMask } : {}),
    };
    this.params.beginRun();
    try {
      return runHead(this.head, this.params.view(), inp, ctx);
    } finally {
      this.params.endRun();
    }
  }

  forward(inputs: AlbertInputs, options: ForwardOptions = {}): Promise<HeadOutputs[H]> {
    return this.life.track(async () => {
      const p = this.prepare(inputs);
      const call = resolveAttention(this.config, this.attnImplementation, p, options, this.warn);
      await activate(this.tfBackend);
      const named = tf.tidy(() => {
        const r = this.run(p, options);
        const out: Record<string, tf.Tensor | tf.Tensor[]> = { ...r.fields };
        if (r.loss) out.loss = r.loss;
        if (call.outputHiddenStates && r.base.hiddenStates) out.hidden_states = r.base.hiddenStates;
        if (call.outputAttentions && r.base.attentions) out.attentions = r.base.attentions;
        return out as tf.TensorContainer as Record<string, tf.Tensor | tf.Tensor[]>;
      });
      try {
        const data = async (t: tf.Tensor) => (await fromTf(t)).data;
        const { loss, hidden_states, attentions, ...fields } = named;
        const raw = {
          fields: Object.fromEntries(
            await Promise.all(Object.entries(fields).map(async ([k, v]) => [k, await data(v as tf.Tensor)] as const)),
          ),
          ...(loss ? { loss: await fromTf(loss as tf.Tensor) } : {}),
          ...(hidden_states ? { hiddenStates: await Promise.all((hidden_states as tf.Tensor[]).map(data)) } : {}),
          ...(attentions ? { attentions: await Promise.all((attentions as tf.Tensor[]).map(data)) } : {}),
        };
        return assembleOutput(this.head, this.config, raw, p, call);
      } finally {
        tf.dispose(named as tf.TensorContainer);
      }
    });
  }

  /** The scalar whose gradient gradients() returns: the loss, or for AlbertModel Σ out·cotangent. */
  objective(r: HeadResult, cotangents?: Record<string, Tensor<Float32Array>>): tf.Tensor {
    if (this.head !== 'AlbertModel') {
      if (!r.loss) throw new InputError(`${this.head}: gradients need labels (the loss is the objective)`);
      return r.loss;
    }
    if (!cotangents || Object.keys(cotangents).length === 0)
      throw new InputError('AlbertModel: gradients need cotangents (last_hidden_state and/or pooler_output)');
    let total: tf.Tensor = tf.scalar(0);
    for (const [name, cot] of Object.entries(cotangents)) {
      const out = r.fields[name];
      if (!out)
        throw new InputError(`cotangent ${name} names no output of AlbertModel (last_hidden_state, pooler_output)`);
      if (cot.size !== out.size)
        throw new InputError(
          `cotangent ${name} has shape [${cot.shape.join(', ')}], output is [${out.shape.join(', ')}]`,
        );
      total = tf.add(total, tf.sum(tf.mul(out, tf.tensor(cot.data, out.shape))));
    }
    return total;
  }

  async gradients(
    inputs: AlbertInputs,
    cotangents?: Record<string, Tensor<Float32Array>>,
  ): Promise<{ loss: number; grads: Map<string, Tensor<Float32Array>> }> {
    return this.life.track(() => this.computeGradients(inputs, cotangents));
  }

  private async computeGradients(
    inputs: AlbertInputs,
    cotangents?: Record<string, Tensor<Float32Array>>,
  ): Promise<{ loss: number; grads: Map<string, Tensor<Float32Array>> }> {
    const prepared = this.prepare(inputs);
    await activate(this.tfBackend);
    const vars = [...this.params.variables.values()];
    const { value, grads } = tf.variableGrads(
      () =>
        this.objective(this.run(prepared, { attnImplementation: 'eager', lossOnly: true }), cotangents) as tf.Scalar,
      vars,
    );
    try {
      const out = new Map<string, Tensor<Float32Array>>();
      for (const [name, v] of this.params.variables) {
        const g = grads[v.name];
        if (g) out.set(name, await fromTf(g));
      }
      return { loss: (await value.data())[0]!, grads: out };
    } finally {
      value.dispose();
      tf.dispose(grads);
    }
  }

  /** Calls made before dispose() finish; later calls reject (core's ModelLifecycle). */
  dispose(): void {
    this.life.dispose();
  }
}
