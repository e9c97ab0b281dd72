// The loaded model: forward (inference), gradients (parity and training) and the hooks the trainer uses.
import {
  type AlbertConfig,
  type AlbertInputs,
  type AlbertModelHandle,
  type AttnImplementation,
  BackendError,
  checkForwardOptions,
  type ForwardOptions,
  type HeadName,
  type HeadOutputs,
  InputError,
  type Tensor,
  type WeightMap,
} from '@albertjs/core';
import { fromTf } from './convert.js';
import { type PreparedInputs, prepareInputs, toHeadInputs } from './inputs.js';
import { type RunContext, seedStream } from './model/context.js';
import { type HeadResult, runHead } from './model/heads.js';
import { ParamStore } from './params.js';
import { activate } from './runtime.js';
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

let warnedSdpaHeadMask = false;

export class TfjsAlbertModel<H extends HeadName = HeadName> implements AlbertModelHandle<H> {
  readonly backend: string;
  readonly params: ParamStore;
  attnImplementation: AttnImplementation;
  /**
   * Gradient checkpointing (transformers' `gradient_checkpointing_enable()`): gradients() and training
   * keep only each layer application's input and recompute the layer in the backward pass, so a step's
   * peak memory holds one layer's activations instead of all of them, for about one more forward of time.
   * Same loss and gradients (dropout masks included). Default false.
   */
  gradientCheckpointing = false;
  private disposed = false;

  constructor(
    readonly head: H,
    readonly config: AlbertConfig,
    weights: WeightMap,
    /** tfjs backend name the weights live on. */
    readonly tfBackend: string,
    attnImplementation: AttnImplementation = 'sdpa',
  ) {
    if (attnImplementation !== 'eager' && attnImplementation !== 'sdpa')
      throw new InputError(`attnImplementation must be 'eager' or 'sdpa', got ${JSON.stringify(attnImplementation)}`);
    config.validate();
    this.backend = `tfjs-${tfBackend}`;
    this.attnImplementation = attnImplementation;
    this.params = new ParamStore(head, config, weights);
  }

  /** transformers' `model.gradient_checkpointing_enable()`. */
  gradientCheckpointingEnable(): void {
    this.gradientCheckpointing = true;
  }

  /** transformers' `model.gradient_checkpointing_disable()`. */
  gradientCheckpointingDisable(): void {
    this.gradientCheckpointing = false;
  }

  private check(): void {
    if (this.disposed) throw new BackendError(`this ${this.head} was disposed`);
  }

  /** Validates inputs on the host (throws InputError before any tensor exists). */
  prepare(inputs: AlbertInputs): PreparedInputs {
    return prepareInputs(this.head, this.config, inputs);
  }

  /**
   * Runs the head on prepared inputs; call inside tf.tidy (or a gradient function).
   * sdpa + head_mask warns and ignores the mask; sdpa + outputAttentions runs eager for that call.
   */
  run(prepared: PreparedInputs, options: RunOptions = {}): HeadResult {
    let attn = options.attnImplementation ?? this.attnImplementation;
    if (attn !== 'eager' && attn !== 'sdpa')
      throw new InputError(`attnImplementation must be 'eager' or 'sdpa', got ${JSON.stringify(attn)}`);
    if (attn === 'sdpa' && options.outputAttentions) attn = 'eager';
    const inp = toHeadInputs(prepared, this.config);
    if (attn === 'sdpa' && inp.headMask && !warnedSdpaHeadMask) {
      warnedSdpaHeadMask = true;
      console.warn(
        '@albertjs/tfjs: head_mask is ignored by sdpa attention; load or call with attnImplementation: "eager" to apply it',
      );
    }
    const ctx: RunContext = {
      config: this.config,
      attn,
      training: options.training ?? false,
      lossOnly: options.lossOnly ?? false,
      outputAttentions: options.outputAttentions ?? false,
      outputHiddenStates: options.outputHiddenStates ?? false,
      checkpoint: options.gradientCheckpointing ?? this.gradientCheckpointing,
      ...(options.seed !== undefined ? { nextSeed: seedStream(options.seed) } : {}),
      ...(attn === 'eager' && inp.headMask ? { headMask: inp.headMask } : {}),
    };
    this.params.beginRun();
    try {
      return runHead(this.head, this.params.view(), inp, ctx);
    } finally {
      this.params.endRun();
    }
  }

  async forward(inputs: AlbertInputs, options: ForwardOptions = {}): Promise<HeadOutputs[H]> {
    checkForwardOptions(options);
    this.check();
    const prepared = this.prepare(inputs);
    await activate(this.tfBackend);
    const named = tf.tidy(() => {
      const r = this.run(prepared, options);
      const out: Record<string, tf.Tensor | tf.Tensor[]> = { ...r.fields };
      if (r.loss) out.loss = r.loss;
      if (options.outputHiddenStates && r.base.hiddenStates) out.hidden_states = r.base.hiddenStates;
      if (options.outputAttentions && r.base.attentions) out.attentions = r.base.attentions;
      return out as tf.TensorContainer as Record<string, tf.Tensor | tf.Tensor[]>;
    });
    try {
      const result: Record<string, Tensor<Float32Array> | Tensor<Float32Array>[]> = {};
      for (const [k, v] of Object.entries(named))
        result[k] = Array.isArray(v) ? await Promise.all(v.map(fromTf)) : await fromTf(v);
      return result as unknown as HeadOutputs[H];
    } finally {
      tf.dispose(named as tf.TensorContainer);
    }
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
    this.check();
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

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.params.dispose();
  }
}
