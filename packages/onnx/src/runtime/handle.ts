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
  checkAttnImplementation,
  type ForwardOptions,
  getInputEmbeddings,
  type HeadName,
  type HeadOutputs,
  ModelLifecycle,
  onceWarner,
  type PreparedInputs,
  prepareInputs,
  type ResizedModel,
  type ResizeOptions,
  resizeLoadedModel,
  resolveAttention,
  setLoadedInputEmbeddings,
  Tensor,
  type WeightMap,
} from '@albertjs/core';
import { serializeModel } from '../graph/serialize.js';
import { buildAlbertGraph } from '../model/build.js';
import type { Flavour, WeightDType } from '../model/options.js';
import { toFeeds } from './feeds.js';
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
  /** Called with warnings (default console.warn). */
  warn?: (msg: string) => void;
}

export class OnnxModelHandle<H extends HeadName> implements AlbertModelHandle<H> {
  readonly head: H;
  readonly backend = 'onnx';
  private sessions = new Map<string, Promise<{ session: OrtSession; outputs: string[] }>>();
  private cfg: AlbertConfig;
  private weights: WeightMap;
  private readonly life: ModelLifecycle;
  private readonly warn: (msg: string) => void;

  constructor(private readonly init: OnnxHandleInit<H>) {
    this.head = init.head;
    this.cfg = init.config;
    this.weights = init.weights;
    checkAttnImplementation(init.attnImplementation);
    this.warn = onceWarner(init.warn ?? ((m) => console.warn(`@albertjs/onnx: ${m}`)));
    this.life = new ModelLifecycle(`${init.head} on onnx`, () => this.release());
  }

  get config(): AlbertConfig {
    return this.cfg;
  }

  resizeTokenEmbeddings(newNumTokens: number, options?: ResizeOptions): Promise<number> {
    return this.life.exclusive(() => resizeLoadedModel(this.resizable(), newNumTokens, options));
  }

  getInputEmbeddings(): Promise<Tensor<Float32Array>> {
    return this.life.track(async () => {
      const t = getInputEmbeddings(this.head, this.weights);
      return new Tensor('float32', new Float32Array(t.data), t.shape);
    });
  }

  setInputEmbeddings(embeddings: Tensor<Float32Array>): Promise<void> {
    return this.life.exclusive(() => setLoadedInputEmbeddings(this.resizable(), embeddings));
  }

  /**
   * core's ResizableModel: replace() builds the graph of the new weights (the default variant first, so a
   * failure leaves the model as it was), then releases the old sessions.
   */
  private resizable() {
    return {
      head: this.head,
      config: this.cfg,
      currentWeights: () => this.weights,
      replace: async (next: ResizedModel): Promise<void> => {
        const [oldSessions, oldConfig, oldWeights] = [this.sessions, this.cfg, this.weights];
        this.sessions = new Map();
        [this.cfg, this.weights] = [next.config, next.weights];
        try {
          await this.warmup();
        } catch (e) {
          this.release();
          [this.sessions, this.cfg, this.weights] = [oldSessions, oldConfig, oldWeights];
          throw e;
        }
        for (const s of oldSessions.values()) s.then((x) => x.session.release()).catch(() => undefined);
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
        const { builder, outputs } = buildAlbertGraph(this.head, this.cfg, this.weights, {
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

  /** Calls made before dispose() finish; later calls reject (core's ModelLifecycle). */
  dispose(): void {
    this.life.dispose();
  }

  private release(): void {
    for (const s of this.sessions.values()) s.then((x) => x.session.release()).catch(() => undefined);
    this.sessions.clear();
  }
}
