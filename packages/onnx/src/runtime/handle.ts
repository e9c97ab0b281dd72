// A model loaded on the onnx backend: builds the graph variant a call needs (eager/sdpa, ids/embeds,
// explicit position_ids, hidden_states / attentions outputs) once, keeps one onnxruntime session per
// variant (concurrent calls share it), validates inputs, runs, and returns the HF-named output object
// with the loss computed from logits.
import {
  type AlbertConfig,
  type AlbertInputs,
  type AlbertModelHandle,
  type AttnImplementation,
  assembleOutput,
  BackendError,
  bindWeights,
  checkAttnImplementation,
  type EmbeddingMethods,
  embeddingMethods,
  type ForwardOptions,
  type HeadName,
  type HeadOutputs,
  ModelLifecycle,
  onceWarner,
  type PreparedInputs,
  prepareInputs,
  type ResizedModel,
  type ResizeOptions,
  resolveAttention,
  Tensor,
  tiedKeys,
  type WeightMap,
} from '@albertjs/core';
import { serializeModel } from '../graph/serialize.js';
import { buildAlbertGraph } from '../model/build.js';
import type { Flavour, WeightDType } from '../model/options.js';
import { TrainingRunner, toCoreTensor } from '../train/runner.js';
import { toFeeds } from './feeds.js';
import { jsepTrainingError } from './jsep.js';
import { createSession, firstLine, type OrtModule, type OrtSession, type SessionConfig } from './ort.js';

interface Variant {
  attn: AttnImplementation;
  inputsEmbeds: boolean;
  positionIds: boolean;
  headMask: boolean;
  /**
   * Graph outputs hidden_states.<i> / attentions.<i>. Only in the variants of calls that ask for them:
   * unfetched graph outputs still cost onnxruntime a fresh buffer per layer and run (≈20–30% of a
   * single-threaded albert-base-v2 forward at 2 × 512 on the development machine).
   */
  hiddenStates: boolean;
  attentions: boolean;
}

export interface OnnxHandleInit<H extends HeadName> {
  head: H;
  config: AlbertConfig;
  weights: WeightMap;
  flavour: Flavour;
  dtype: WeightDType;
  attnImplementation: AttnImplementation;
  ort: OrtModule;
  session: SessionConfig;
  /** Per-layer recompute in gradients() and training steps (OnnxBackendOptions.gradientCheckpointing). */
  gradientCheckpointing?: boolean;
  /** Sessions run onnxruntime-web's default build's webgpu EP (JSEP), which training graphs refuse (runtime/jsep.ts). */
  jsepWebgpu?: boolean;
  /** Called with warnings (default console.warn). */
  warn?: (msg: string) => void;
}

export class OnnxModelHandle<H extends HeadName> implements AlbertModelHandle<H> {
  readonly head: H;
  readonly backend = 'onnx';
  private sessions = new Map<string, Promise<{ session: OrtSession; outputs: string[] }>>();
  private cfg: AlbertConfig;
  /** The weights the inference graphs are built from: as loaded, or the last resize's. */
  private current: WeightMap;
  private readonly life: ModelLifecycle;
  private readonly embeddings: EmbeddingMethods;
  private readonly warn: (msg: string) => void;
  private trainer: TrainingRunner | undefined;

  constructor(private readonly init: OnnxHandleInit<H>) {
    this.head = init.head;
    this.cfg = init.config;
    this.current = init.weights;
    checkAttnImplementation(init.attnImplementation);
    this.warn = onceWarner(init.warn ?? ((m) => console.warn(`@albertjs/onnx: ${m}`)));
    this.life = new ModelLifecycle(`${init.head} on onnx`, () => this.release());
    this.embeddings = embeddingMethods(this.life, () => this.resizable());
  }

  get config(): AlbertConfig {
    return this.cfg;
  }

  /** The weights the model was loaded with, or the last resizeTokenEmbeddings' (training starts from them). */
  get weights(): WeightMap {
    return this.current;
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

  /**
   * core's ResizableModel: the current weights (the trained parameters when this model was trained here);
   * replace() builds the graph of the new weights (the default variant first, so a failure leaves the model as it
   * was), then releases the old sessions and training graphs (the next training step builds them on the new size).
   */
  private resizable() {
    return {
      head: this.head,
      config: this.cfg,
      currentWeights: (): WeightMap => {
        const trained = this.trainer?.params;
        if (!trained?.size) return this.current;
        for (const [name, t] of trained)
          if (t.location === 'gpu-buffer')
            throw new BackendError(
              `${this.head}: the trained parameter ${name} is on the GPU (OnnxTrainer optimizerOn 'device'): await trainer.sync() first`,
            );
        const raw = new Map(this.current.tensors);
        for (const k of Object.keys(tiedKeys(this.head, this.cfg))) raw.delete(k); // bindWeights ties them again
        for (const [name, t] of trained)
          raw.set(name, new Tensor('float32', new Float32Array(t.data as Float32Array), [...t.dims]));
        return bindWeights(this.head, this.cfg, raw).weights;
      },
      replace: async (next: ResizedModel): Promise<void> => {
        const [oldSessions, oldConfig, oldWeights] = [this.sessions, this.cfg, this.current];
        this.sessions = new Map();
        [this.cfg, this.current] = [next.config, next.weights];
        try {
          await this.warmup();
        } catch (e) {
          for (const x of this.sessions.values()) x.then((v) => v.session.release()).catch(() => undefined);
          [this.sessions, this.cfg, this.current] = [oldSessions, oldConfig, oldWeights];
          throw e;
        }
        for (const x of oldSessions.values()) x.then((v) => v.session.release()).catch(() => undefined);
        this.trainer?.release();
        this.trainer = undefined;
      },
    };
  }

  get flavour(): Flavour {
    return this.init.flavour;
  }

  /** Builds and opens the default variant (so load errors surface at loadModel). */
  async warmup(): Promise<void> {
    await this.session({
      attn: this.init.attnImplementation,
      inputsEmbeds: false,
      positionIds: false,
      headMask: false,
      hiddenStates: false,
      attentions: false,
    });
  }

  private session(v: Variant): Promise<{ session: OrtSession; outputs: string[] }> {
    this.life.check();
    const key = `${v.attn}|${v.inputsEmbeds}|${v.positionIds}|${v.headMask}|${v.hiddenStates}|${v.attentions}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = (async () => {
        const { builder, outputs } = buildAlbertGraph(this.head, this.cfg, this.current, {
          flavour: this.init.flavour,
          dtype: this.init.dtype,
          attnImplementation: v.attn,
          inputsEmbeds: v.inputsEmbeds,
          positionIds: v.positionIds,
          headMask: v.headMask,
          hiddenStates: v.hiddenStates,
          attentions: v.attentions,
        });
        const { model } = serializeModel(builder);
        const session = await createSession(
          this.init.ort,
          model,
          this.init.session,
          `the ${this.init.flavour} ${v.attn} graph of ${this.head}`,
        );
        return { session, outputs };
      })();
      s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  forward(inputs: AlbertInputs, options: ForwardOptions = {}): Promise<HeadOutputs[H]> {
    return this.life.track(async () => {
      const p = prepareInputs(this.head, this.config, inputs);
      const call = resolveAttention(this.config, this.init.attnImplementation, p, options, this.warn);
      const { session, outputs } = await this.session({
        attn: call.attn,
        inputsEmbeds: !!p.inputsEmbeds,
        positionIds: p.hasPositionIds,
        headMask: !!call.headMask,
        hiddenStates: call.outputHiddenStates,
        attentions: call.outputAttentions,
      });
      const fetch = outputs.filter(
        (o) =>
          (!o.startsWith('hidden_states.') || call.outputHiddenStates) &&
          (!o.startsWith('attentions.') || call.outputAttentions),
      );
      const L = this.config.num_hidden_layers;
      const headMask = call.headMask && { data: call.headMask, dims: [L, this.config.num_attention_heads] };
      const result = await this.run(session, p, toFeeds(p, headMask), fetch);
      const fields: Record<string, Float32Array> = {};
      const hiddenStates: Float32Array[] = [];
      const attentions: Float32Array[] = [];
      for (const name of fetch) {
        const t = result[name]!.data;
        if (name.startsWith('hidden_states.')) hiddenStates[Number(name.slice(14))] = t;
        else if (name.startsWith('attentions.')) attentions[Number(name.slice(11))] = t;
        else fields[name] = t;
      }
      return assembleOutput(this.head, this.config, { fields, hiddenStates, attentions }, p, call);
    });
  }

  private async run(
    session: OrtSession,
    p: PreparedInputs,
    feedData: ReturnType<typeof toFeeds>,
    fetch: string[],
  ): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
    const { Tensor: OrtTensor } = this.init.ort;
    const feeds: Record<string, InstanceType<typeof OrtTensor>> = {};
    for (const [name, { data, dims }] of Object.entries(feedData)) feeds[name] = new OrtTensor(data, dims);
    let r: Awaited<ReturnType<OrtSession['run']>>;
    try {
      r = await session.run(feeds, fetch);
    } catch (e) {
      throw new BackendError(
        `onnxruntime failed running ${this.head} on inputs of shape [${[...p.lead, p.seq].join(', ')}]: ${firstLine(e)}`,
        { cause: e },
      );
    }
    const out: Record<string, { data: Float32Array; dims: number[] }> = {};
    for (const name of fetch) {
      const t = r[name]!;
      // Outputs kept on the device (onnxruntime-web preferredOutputLocation 'gpu-buffer') are downloaded here.
      const data = (t.location === 'cpu' || t.location === undefined ? t.data : await t.getData(true)) as Float32Array;
      out[name] = { data, dims: [...t.dims] };
    }
    return out;
  }

  /** The training graphs of this model (built on first use): fp32, standard ops, eager attention. */
  get training(): TrainingRunner {
    this.life.check();
    if (this.init.jsepWebgpu) throw jsepTrainingError(this.init.session.executionProviders ?? []);
    this.trainer ??= new TrainingRunner(
      this.head,
      this.cfg,
      this.current,
      this.init.ort,
      this.init.session,
      this.init.gradientCheckpointing ?? false,
    );
    return this.trainer;
  }

  /**
   * d(loss)/d(parameter) for every parameter by checkpoint name (shared layers summed over every use),
   * from the training graph (eager attention, no dropout). AlbertModel: the objective is
   * Σ output · cotangent. Same signature and result as @albertjs/tfjs' gradients().
   */
  gradients(
    inputs: AlbertInputs,
    cotangents?: Record<string, Tensor<Float32Array>>,
  ): Promise<{ loss: number; grads: Map<string, Tensor<Float32Array>> }> {
    return this.life.track(async () => {
      const p = prepareInputs(this.head, this.config, inputs);
      const r = await this.training.step(p, cotangents, 'grads');
      const grads = new Map<string, Tensor<Float32Array>>();
      for (const [name, t] of r.grads) grads.set(name, toCoreTensor(t));
      return { loss: r.loss, grads };
    });
  }

  /** Calls made before dispose() finish; later calls reject (core's ModelLifecycle). */
  dispose(): void {
    this.life.dispose();
  }

  private release(): void {
    this.trainer?.release();
    this.trainer = undefined;
    for (const s of this.sessions.values()) s.then((x) => x.session.release()).catch(() => undefined);
    this.sessions.clear();
  }
}
