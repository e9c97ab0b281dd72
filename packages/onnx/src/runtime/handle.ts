// A model loaded on the onnx backend: builds the graph variant a call needs (eager/sdpa, ids/embeds,
// explicit position_ids, hidden_states / attentions outputs) once, keeps one onnxruntime session per
// variant (concurrent calls share it), validates inputs, runs, and returns the HF-named output object
// with the loss computed from logits.
import {
  type AlbertConfig,
  type AlbertInputs,
  type AlbertModelHandle,
  type AttnImplementation,
  BackendError,
  checkForwardOptions,
  type F32,
  type ForwardOptions,
  type HeadName,
  type HeadOutputs,
  headLoss,
  Tensor,
  type WeightMap,
} from '@albertjs/core';
import { serializeModel } from '../graph/serialize.js';
import { buildAlbertGraph } from '../model/build.js';
import type { Flavour, WeightDType } from '../model/options.js';
import { type PreparedInputs, prepareInputs } from './inputs.js';
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
  readonly config: AlbertConfig;
  readonly backend = 'onnx';
  private readonly sessions = new Map<string, Promise<{ session: OrtSession; outputs: string[] }>>();
  private disposed = false;

  constructor(private readonly init: OnnxHandleInit<H>) {
    this.head = init.head;
    this.config = init.config;
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
    if (this.disposed) throw new BackendError(`${this.head} on onnx was disposed`);
    const key = `${v.attn}|${v.inputsEmbeds}|${v.positionIds}|${v.headMask}|${v.hiddenStates}|${v.attentions}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = (async () => {
        const { builder, outputs } = buildAlbertGraph(this.head, this.config, this.init.weights, {
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

  async forward(inputs: AlbertInputs, options: ForwardOptions = {}): Promise<HeadOutputs[H]> {
    checkForwardOptions(options);
    const prepared = prepareInputs(this.head, this.config, inputs);
    let attn = options.attnImplementation ?? this.init.attnImplementation;
    const warn = this.init.warn ?? ((m: string) => console.warn(m));
    if (attn === 'sdpa' && options.outputAttentions) {
      warn('sdpa attention cannot return attention probabilities; using the eager graph for this call');
      attn = 'eager';
    }
    if (attn === 'sdpa' && prepared.headMask)
      warn('head_mask is ignored by sdpa attention (use attnImplementation: "eager")');
    const { session, outputs } = await this.session({
      attn,
      inputsEmbeds: prepared.inputsEmbeds,
      positionIds: prepared.positionIds,
      headMask: attn === 'eager' && !!prepared.headMask,
      hiddenStates: !!options.outputHiddenStates,
      attentions: attn === 'eager' && !!options.outputAttentions,
    });
    const fetch = outputs.filter(
      (o) =>
        (!o.startsWith('hidden_states.') || options.outputHiddenStates) &&
        (!o.startsWith('attentions.') || options.outputAttentions),
    );
    const result = await this.run(session, prepared, attn, fetch);
    const out: Record<string, unknown> = {};
    const hidden: F32[] = [];
    const atts: F32[] = [];
    for (const name of fetch) {
      const t = result[name]!;
      if (name.startsWith('hidden_states.')) hidden[Number(name.slice(14))] = t;
      else if (name.startsWith('attentions.')) atts[Number(name.slice(11))] = t;
      else out[name] = t;
    }
    const loss = headLoss(this.head, this.config, inputs, out as Record<string, F32>);
    const res: Record<string, unknown> = { ...(loss ? { loss } : {}), ...out };
    if (options.outputHiddenStates) res.hidden_states = hidden;
    if (options.outputAttentions) res.attentions = atts;
    return res as unknown as HeadOutputs[H];
  }

  private async run(
    session: OrtSession,
    p: PreparedInputs,
    attn: AttnImplementation,
    fetch: string[],
  ): Promise<Record<string, F32>> {
    const { Tensor: OrtTensor } = this.init.ort;
    const feeds: Record<string, InstanceType<typeof OrtTensor>> = {};
    for (const [name, { data, dims }] of Object.entries(p.feeds)) feeds[name] = new OrtTensor(data, dims);
    if (attn === 'eager' && p.headMask)
      feeds.head_mask = new OrtTensor(p.headMask, [this.config.num_hidden_layers, this.config.num_attention_heads]);
    let r: Awaited<ReturnType<OrtSession['run']>>;
    try {
      r = await session.run(feeds, fetch);
    } catch (e) {
      throw new BackendError(
        `onnxruntime failed running ${this.head} on inputs of shape [${p.shape.join(', ')}]: ${firstLine(e)}`,
        { cause: e },
      );
    }
    const out: Record<string, F32> = {};
    for (const name of fetch) {
      const t = r[name]!;
      // Outputs kept on the device (onnxruntime-web preferredOutputLocation 'gpu-buffer') are downloaded here.
      const data = (t.location === 'cpu' || t.location === undefined ? t.data : await t.getData(true)) as Float32Array;
      out[name] = new Tensor('float32', data, [...t.dims]);
    }
    return out;
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.sessions.values()) s.then((x) => x.session.release()).catch(() => undefined);
    this.sessions.clear();
  }
}
