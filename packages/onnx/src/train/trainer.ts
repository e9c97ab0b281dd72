// The onnx backend's Trainer (core's AlbertTrainer): each micro-batch runs the head's training graph on
// onnxruntime (forward, loss, backward in one session run), gradients are accumulated and averaged on the
// host; AdamW (adamw.ts) takes their mean, clips it by global norm and updates the parameters in place in the
// onnxruntime tensors the next run feeds. On onnxruntime-web's webgpu EP (optimizerOn 'device') the
// gradients stay on the GPU and AdamW runs there as an onnxruntime graph (device-adamw.ts), its outputs the
// parameters the next run feeds. The learning rate follows core's linearWarmupDecay.
// Dropout: masks drawn on the host from the trainer's seed and fed to the training graph (model/dropout.ts).
import {
  AlbertConfig,
  type AlbertInputs,
  type AlbertTrainer,
  BackendError,
  ConfigError,
  countCorrect,
  type EvalResult,
  type FitOptions,
  type FitResult,
  fitLoop,
  HEADS,
  type HeadName,
  InputError,
  linearDropout,
  Mulberry32,
  prepareInputs,
  type StepResult,
  savePretrained,
  Tensor,
  type TrainerOptions,
  trainerSettings,
} from '@albertjs/core';
import type { OnnxModelHandle } from '../runtime/handle.js';
import { HostAdamW } from './adamw.js';
import { DeviceAdamW } from './device-adamw.js';
import { type RunResult, seededMasks } from './runner.js';

export interface OnnxTrainerOptions extends TrainerOptions {
  /**
   * 'config' (default): the config's dropout probabilities (hidden, attention, classifier), the masks
   * drawn from `seed`; 'off': train without dropout (as if the probabilities were 0).
   */
  dropout?: 'config' | 'off';
  /**
   * Where AdamW runs. 'host' (default on CPU / wasm): on the host, the parameters in host Float32Arrays fed
   * to every step. 'device' (default for onnxruntime-web's webgpu EP without gradient checkpointing): as an
   * onnxruntime graph (device-adamw.ts) whose parameters, moments and gradients stay on the GPU between
   * steps; `sync()` downloads them (save() does it itself).
   */
  optimizerOn?: 'host' | 'device';
}

/** The non-zero dropout probabilities `head` applies in training under `config`. */
export function dropoutsOf(head: HeadName, c: AlbertConfig): string[] {
  const out: string[] = [];
  if (c.hidden_dropout_prob > 0) out.push(`hidden_dropout_prob = ${c.hidden_dropout_prob}`);
  if (c.attention_probs_dropout_prob > 0) out.push(`attention_probs_dropout_prob = ${c.attention_probs_dropout_prob}`);
  const lin = HEADS[head].onPooled ?? HEADS[head].onTokens;
  const p = lin ? linearDropout(lin, c) : 0;
  if (p > 0 && (lin?.dropout === 'classifier' || c.classifier_dropout_prob != null))
    out.push(`classifier_dropout_prob = ${p}`);
  return out;
}

export class OnnxTrainer<H extends HeadName = HeadName> implements AlbertTrainer {
  readonly optimizer: HostAdamW;
  readonly schedule: (step: number) => number;
  readonly accumulation: number;
  readonly maxGradNorm: number;
  readonly totalSteps: number;
  /** Source of each micro-batch's dropout seed; its `state` is saved with a resumable checkpoint. */
  readonly rng: Mulberry32;
  /** Whether training steps apply dropout (the config has some and options.dropout is not 'off'). */
  readonly dropout: boolean;
  private accumulated = new Map<string, Float32Array>();
  private micro = 0;
  /** The optimizer graph on the GPU (options.optimizerOn 'device'), and the micro-batch gradients it awaits. */
  readonly device: DeviceAdamW | undefined;
  private deviceGrads: RunResult['grads'][] = [];

  constructor(
    readonly model: OnnxModelHandle<H>,
    options: OnnxTrainerOptions,
  ) {
    const set = trainerSettings(options);
    const dropout = options.dropout ?? 'config';
    if (dropout !== 'config' && dropout !== 'off')
      throw new ConfigError(`dropout must be 'config' or 'off', got ${JSON.stringify(dropout)}`);
    this.dropout = dropout === 'config' && dropoutsOf(model.head, model.config).length > 0;
    this.rng = new Mulberry32(options.seed ?? 0);
    this.accumulation = set.accumulation;
    this.maxGradNorm = set.maxGradNorm;
    this.totalSteps = set.totalSteps;
    this.schedule = set.schedule;
    this.optimizer = new HostAdamW(set.adamw);
    const runner = model.training;
    const c = runner.sessionConfig;
    const gpu = c.runtime === 'web' && c.executionProviders?.[0] === 'webgpu';
    const on = options.optimizerOn ?? (gpu && !runner.gradientCheckpointing ? 'device' : 'host');
    if (on !== 'host' && on !== 'device')
      throw new ConfigError(`optimizerOn must be 'host' or 'device', got ${JSON.stringify(on)}`);
    if (on === 'device' && (!gpu || runner.gradientCheckpointing))
      throw new ConfigError(
        `optimizerOn 'device' needs onnxruntime-web's webgpu EP first in executionProviders and no gradient checkpointing (got runtime ${c.runtime}, executionProviders [${(c.executionProviders ?? []).join(', ')}], gradientCheckpointing ${runner.gradientCheckpointing})`,
      );
    this.device = on === 'device' ? new DeviceAdamW(runner.ort, c, this.optimizer, this.maxGradNorm) : undefined;
  }

  /** Where AdamW runs (options.optimizerOn). */
  get optimizerOn(): 'host' | 'device' {
    return this.device ? 'device' : 'host';
  }

  /**
   * Downloads the parameters and AdamW's moments from the GPU (optimizerOn 'device'; nothing otherwise):
   * exportTensors() and the host optimizer's m / v are current after it.
   */
  async sync(): Promise<void> {
    await this.device?.download(this.model.training.params);
  }

  get step(): number {
    return this.optimizer.step;
  }

  get pendingMicroBatches(): number {
    return this.micro;
  }

  async trainStep(batch: AlbertInputs): Promise<StepResult> {
    const p = prepareInputs(this.model.head, this.model.config, batch);
    const runner = this.model.training;
    // One seed per micro-batch (as the tfjs Trainer draws them); the masks come from Mulberry32(seed) in site order.
    const seed = Math.floor(this.rng.next() * 2 ** 31);
    const masks = this.dropout ? seededMasks(new Mulberry32(seed)) : undefined;
    const { loss, grads } = await runner.step(p, undefined, this.device ? 'device' : 'grads', masks);
    if (!Number.isFinite(loss)) {
      for (const t of grads.values()) if (t.location === 'gpu-buffer') t.dispose();
      throw new InputError(`training loss is ${loss}: check the labels (all ignored?) and the learning rate`);
    }
    if (this.device) return this.deviceStep(loss, grads);
    for (const [k, t] of grads) {
      const g = t.data as Float32Array;
      const prev = this.accumulated.get(k);
      if (!prev) this.accumulated.set(k, g);
      else for (let j = 0; j < g.length; j++) prev[j]! += g[j]!;
    }
    this.micro++;
    if (this.micro < this.accumulation) return { loss, updated: false };
    const sums = this.accumulated;
    this.accumulated = new Map();
    this.micro = 0;
    const lr = this.schedule(this.optimizer.step);
    const params = new Map<string, Float32Array>();
    for (const [name, t] of runner.params) params.set(name, t.data as Float32Array);
    // one pass for the global norm, one for the update: the mean over micro-batches and the clipping folded in
    const gradNorm = this.optimizer.apply(params, sums, lr, {
      divideBy: this.accumulation,
      maxNorm: this.maxGradNorm,
    });
    return { loss, updated: true, lr, ...(Number.isNaN(gradNorm) ? {} : { gradNorm }) };
  }

  /** trainStep's micro-batch on the device path: its gradients kept on the GPU until the update. */
  private async deviceStep(loss: number, grads: RunResult['grads']): Promise<StepResult> {
    this.deviceGrads.push(grads);
    this.micro++;
    if (this.micro < this.accumulation) return { loss, updated: false };
    const sets = this.deviceGrads;
    this.deviceGrads = [];
    this.micro = 0;
    const lr = this.schedule(this.optimizer.step);
    const gradNorm = await this.device!.apply(this.model.training.params, sets, lr);
    return { loss, updated: true, lr, ...(Number.isNaN(gradNorm) ? {} : { gradNorm }) };
  }

  fit(batches: Iterable<AlbertInputs> | AsyncIterable<AlbertInputs>, options: FitOptions = {}): Promise<FitResult> {
    return fitLoop(this, batches, options);
  }

  async evaluate(batches: Iterable<AlbertInputs>): Promise<EvalResult> {
    let lossSum = 0;
    let examples = 0;
    let correct = 0;
    let counted = 0;
    for (const batch of batches) {
      const p = prepareInputs(this.model.head, this.model.config, batch);
      const n = p.lead[0]!; // examples (B of [B, C] for multiple choice)
      const r = await this.model.training.step(p, undefined, 'eval');
      lossSum += r.loss * n;
      examples += n;
      const logits = r.fields.logits ?? r.fields.prediction_logits;
      const ids = p.labels.ids;
      if (logits && ids) {
        const c = countCorrect(argmaxRows(logits, logits.length / ids.length), ids);
        correct += c.correct;
        counted += c.counted;
      }
    }
    return { loss: lossSum / examples, ...(counted ? { accuracy: correct / counted } : {}), examples };
  }

  /**
   * The current parameters by checkpoint name (the trained ones, the rest as loaded). optimizerOn
   * 'device': after `await sync()` (a BackendError when a parameter is still on the GPU).
   */
  exportTensors(): Map<string, Tensor<Float32Array>> {
    const out = new Map<string, Tensor<Float32Array>>();
    const w = this.model.weights;
    for (const name of w.keys()) {
      const t = this.model.training.params.get(name);
      if (t?.location === 'gpu-buffer')
        throw new BackendError(
          `parameter ${name} is on the GPU (optimizerOn 'device'): await trainer.sync() before exportTensors()`,
        );
      out.set(name, t ? new Tensor('float32', new Float32Array(t.data as Float32Array), [...t.dims]) : w.f32(name));
    }
    return out;
  }

  async save(dir: string): Promise<string[]> {
    await this.sync();
    const config = AlbertConfig.fromJSON(this.model.config.toJSON());
    config.architectures = [this.model.head];
    config.dtype = 'float32';
    return savePretrained(dir, config, this.exportTensors());
  }

  dispose(): void {
    this.accumulated.clear();
    for (const set of this.deviceGrads) for (const t of set.values()) if (t.location === 'gpu-buffer') t.dispose();
    this.deviceGrads = [];
    this.device?.release();
  }
}

/** Argmax of each row of `cols` columns. */
function argmaxRows(x: Float32Array, cols: number): Int32Array {
  const rows = x.length / cols;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (x[r * cols + c]! > x[r * cols + best]!) best = c;
    out[r] = best;
  }
  return out;
}
