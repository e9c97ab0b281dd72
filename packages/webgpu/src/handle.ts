// A model loaded on the WebGPU backend: weights on the device, forward() records the whole pass into
// one command buffer and reads back only the requested outputs.
import type {
  AlbertConfig,
  AlbertInputs,
  AlbertModelHandle,
  AttnImplementation,
  ForwardOptions,
  HeadName,
  HeadOutputs,
  WeightMap,
} from '@albertjs/core';
import { checkForwardOptions, headHasPooler } from '@albertjs/core';
import { AlbertModel } from './model/albert.js';
import { AlbertHeadModule, type DeviceOutput } from './model/heads.js';
import { prepareInputs } from './model/inputs.js';
import { buildOutput, type RawResults } from './model/outputs.js';
import { Recorder } from './runtime/recorder.js';
import type { Runtime } from './runtime/runtime.js';
import { WeightStore } from './runtime/weights.js';

const warned = new Set<string>();
function warnOnce(msg: string): void {
  if (warned.has(msg)) return;
  warned.add(msg);
  console.warn(`@albertjs/webgpu: ${msg}`);
}

export class WebGpuModel<H extends HeadName> implements AlbertModelHandle<H> {
  readonly backend = 'webgpu';
  private readonly store: WeightStore;
  private readonly base: AlbertModel;
  private readonly headModule: AlbertHeadModule;
  /** Forwards run one at a time (error scopes are per device). */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly rt: Runtime,
    readonly head: H,
    readonly config: AlbertConfig,
    weights: WeightMap,
    private readonly attnImplementation: AttnImplementation,
    /** 'float16': matmul weights in f16 (shader-f16), f32 accumulation, LayerNorm / softmax in f32. */
    readonly dtype: 'float32' | 'float16' = 'float32',
  ) {
    this.store = new WeightStore(rt, dtype === 'float16');
    const baseView = head === 'AlbertModel' ? weights : weights.pp('albert');
    this.base = AlbertModel.load(this.store, baseView, config, headHasPooler(head));
    this.headModule = AlbertHeadModule.load(head, this.store, weights, config);
  }

  /** Parameter buffers on the device (shared layers and tied weights count once). */
  get weightBuffers(): number {
    return this.store.count;
  }

  forward(inputs: AlbertInputs, options: ForwardOptions = {}): Promise<HeadOutputs[H]> {
    checkForwardOptions(options);
    const run = this.queue.then(() => this.run(inputs, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(inputs: AlbertInputs, options: ForwardOptions): Promise<HeadOutputs[H]> {
    if (this.disposed) throw new Error('this WebGPU model was disposed');
    const c = this.config;
    const x = prepareInputs(this.head, c, inputs);
    let impl = options.attnImplementation ?? this.attnImplementation;
    const wantAttn = options.outputAttentions ?? c.output_attentions;
    const wantHidden = options.outputHiddenStates ?? c.output_hidden_states;
    if (impl === 'sdpa' && x.headMask) {
      warnOnce('head_mask is ignored by attnImplementation "sdpa" (use "eager" to apply it)');
      x.headMask = null;
    }
    if (impl === 'sdpa' && wantAttn) {
      warnOnce('outputAttentions needs the attention probabilities: running this call with "eager" attention');
      impl = 'eager';
    }
    const rec = new Recorder(this.rt);
    const raw: RawResults = { lead: x.lead, seq: x.seq };
    let readers: (() => void)[] = [];
    try {
      const base = this.base.forward(rec, x, { impl, hidden: wantHidden, attentions: wantAttn });
      const heads = this.headModule.forward(rec, base, x.batch, x.seq);
      const read = (o: DeviceOutput, set: (d: Float32Array) => void) => {
        const parts = o.chunks.map((t) => rec.read(t));
        readers.push(() => {
          if (parts.length === 1) return set(parts[0]!());
          const all = new Float32Array(o.rows * o.cols);
          let off = 0;
          for (const p of parts) {
            const d = p();
            all.set(d, off);
            off += d.length;
          }
          set(all);
        });
      };
      if (this.head === 'AlbertModel') {
        const getLast = rec.read(base.last);
        readers.push(() => {
          raw.last = getLast();
        });
        if (base.pooled) {
          const getPooled = rec.read(base.pooled);
          readers.push(() => {
            raw.pooled = getPooled();
          });
        }
      }
      if (heads.mlm) read(heads.mlm, (d) => (raw.mlm = d));
      if (heads.pooled_logits) read(heads.pooled_logits, (d) => (raw.pooledLogits = d));
      if (heads.token_logits) read(heads.token_logits, (d) => (raw.tokenLogits = d));
      if (wantHidden) {
        const gets = base.hiddenStates.map((t) => rec.read(t));
        readers.push(() => {
          raw.hiddenStates = gets.map((g) => g());
        });
      }
      if (wantAttn) {
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
    return buildOutput(this.head, c, raw, inputs) as HeadOutputs[H];
  }

  dispose(): void {
    this.disposed = true;
    this.store.destroy();
  }
}
