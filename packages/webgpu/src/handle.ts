// A model loaded on the WebGPU backend: weights on the device, forward() records the whole pass into
// one command buffer and reads back only the requested outputs. Inputs, attention policy and outputs are
// core's (prepareInputs → resolveAttention → assembleOutput); this file is the device step.
import {
  type AlbertConfig,
  type AlbertInputs,
  type AlbertModelHandle,
  type AttnImplementation,
  assembleOutput,
  checkAttnImplementation,
  type EmbeddingMethods,
  embeddingMethods,
  type FieldSource,
  type ForwardOptions,
  fieldsFromProjections,
  HEADS,
  type HeadName,
  type HeadOutputs,
  ModelLifecycle,
  onceWarner,
  prepareInputs,
  type RawOutputs,
  type ResizedModel,
  type ResizeOptions,
  resolveAttention,
  type Tensor,
  type WeightMap,
} from '@albertjs/core';
import { AlbertModel } from './model/albert.js';
import { AlbertHeadModule, type DeviceOutput } from './model/heads.js';
import { propagateNonFinite } from './model/non-finite.js';
import { Recorder } from './runtime/recorder.js';
import type { Runtime } from './runtime/runtime.js';
import { WeightStore } from './runtime/weights.js';

export class WebGpuModel<H extends HeadName> implements AlbertModelHandle<H> {
  readonly backend = 'webgpu';
  private store: WeightStore;
  private base: AlbertModel;
  private headModule: AlbertHeadModule;
  private cfg: AlbertConfig;
  /** The host weights the device buffers were made from (what resizeTokenEmbeddings starts from). */
  private weights: WeightMap;
  /** Forwards run one at a time (error scopes are per device). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly life: ModelLifecycle;
  private readonly embeddings: EmbeddingMethods;
  private readonly warn = onceWarner((m) => console.warn(`@albertjs/webgpu: ${m}`));

  constructor(
    private readonly rt: Runtime,
    readonly head: H,
    config: AlbertConfig,
    weights: WeightMap,
    private readonly attnImplementation: AttnImplementation,
    /** 'float16': matmul weights in f16 (shader-f16), f32 accumulation, LayerNorm / softmax in f32. */
    readonly dtype: 'float32' | 'float16' = 'float32',
  ) {
    checkAttnImplementation(attnImplementation);
    this.cfg = config;
    this.weights = weights;
    this.store = new WeightStore(rt, dtype === 'float16');
    const spec = HEADS[head];
    this.base = AlbertModel.load(this.store, spec.basePrefix ? weights.pp('albert') : weights, config, spec.pooler);
    this.headModule = AlbertHeadModule.load(head, this.store, weights, config);
    this.life = new ModelLifecycle(`${head} on webgpu`, () => this.store.destroy());
    this.embeddings = embeddingMethods(this.life, () => this.resizable());
  }

  get config(): AlbertConfig {
    return this.cfg;
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

  /** core's ResizableModel: replace() uploads the new weights into a new store, then frees the old buffers. */
  private resizable() {
    return {
      head: this.head,
      config: this.cfg,
      currentWeights: () => this.weights,
      replace: async (next: ResizedModel): Promise<void> => {
        this.rt.gpu.checkAlive();
        const spec = HEADS[this.head];
        const store = new WeightStore(this.rt, this.dtype === 'float16');
        try {
          const w = next.weights;
          const base = AlbertModel.load(store, spec.basePrefix ? w.pp('albert') : w, next.config, spec.pooler);
          const headModule = AlbertHeadModule.load(this.head, store, w, next.config);
          this.store.destroy();
          [this.store, this.base, this.headModule, this.cfg, this.weights] = [store, base, headModule, next.config, w];
        } catch (e) {
          store.destroy();
          throw e;
        }
      },
    };
  }

  /** Parameter buffers on the device (shared layers and tied weights count once). */
  get weightBuffers(): number {
    return this.store.count;
  }

  forward(inputs: AlbertInputs, options: ForwardOptions = {}): Promise<HeadOutputs[H]> {
    return this.life.track(() => {
      const run = this.queue.then(() => this.run(inputs, options));
      this.queue = run.catch(() => undefined);
      return run;
    });
  }

  private async run(inputs: AlbertInputs, options: ForwardOptions): Promise<HeadOutputs[H]> {
    const c = this.config;
    const p = prepareInputs(this.head, c, inputs);
    const call = resolveAttention(c, this.attnImplementation, p, options, this.warn);
    const rec = new Recorder(this.rt);
    const proj: Partial<Record<FieldSource, Float32Array>> = {};
    const raw: RawOutputs = { fields: {} };
    let readers: (() => void)[] = [];
    try {
      const base = this.base.forward(rec, p, {
        impl: call.attn,
        hidden: call.outputHiddenStates,
        attentions: call.outputAttentions,
        ...(call.headMask ? { headMask: call.headMask } : {}),
      });
      const heads = this.headModule.forward(rec, base, p.batch, p.seq);
      const read = (o: DeviceOutput, set: (d: Float32Array) => void) => {
        const parts = o.chunks.map((t) => rec.read(t));
        readers.push(() => {
          if (parts.length === 1) return set(parts[0]!());
          const all = new Float32Array(o.rows * o.cols);
          let off = 0;
          for (const part of parts) {
            const d = part();
            all.set(d, off);
            off += d.length;
          }
          set(all);
        });
      };
      const fromBase = { last: base.last, pooled: base.pooled };
      for (const f of HEADS[this.head].fields) {
        if (f.from === 'last' || f.from === 'pooled') {
          const t = fromBase[f.from];
          if (!t) continue;
          const get = rec.read(t);
          readers.push(() => {
            proj[f.from] = get();
          });
        }
      }
      for (const [from, o] of Object.entries(heads) as [FieldSource, DeviceOutput][])
        read(o, (d) => {
          proj[from] = d;
        });
      if (call.outputHiddenStates) {
        const gets = base.hiddenStates.map((t) => rec.read(t));
        readers.push(() => {
          raw.hiddenStates = gets.map((g) => g());
        });
      }
      if (call.outputAttentions) {
        const gets = base.attentions.map((t) => rec.read(t));
        readers.push(() => {
          raw.attentions = gets.map((g) => g());
        });
      }
    } catch (e) {
      readers = [];
      await rec.abandon();
      throw e;
    }
    await rec.run();
    for (const r of readers) r();
    raw.fields = fieldsFromProjections(this.head, c, proj);
    propagateNonFinite(p, raw);
    return assembleOutput(this.head, c, raw, p, call);
  }

  /** Calls made before dispose() finish; later calls reject (core's ModelLifecycle). */
  dispose(): void {
    this.life.dispose();
  }
}
