// Fine-tuning and pretraining loop: AdamW, linear warmup/decay, global-norm clipping, gradient
// accumulation, dropout on only while training, an evaluation loop and checkpoints.
import {
  type AlbertInputs,
  type AlbertTrainer,
  countCorrect,
  type EvalResult,
  type FitOptions,
  type FitResult,
  fitLoop,
  type HeadName,
  InputError,
  Mulberry32,
  type StepResult,
  type TrainerOptions,
  trainerSettings,
} from '@albertjs/core';
import type { TfjsAlbertModel } from '../handle.js';
import { activate } from '../runtime.js';
import { tf } from '../tf.js';
import { AdamW, clipByGlobalNorm } from './adamw.js';
import { saveCheckpoint } from './checkpoint.js';

export type { EvalResult, FitOptions, FitResult, StepResult, TrainerOptions } from '@albertjs/core';

export class Trainer<H extends HeadName = HeadName> implements AlbertTrainer {
  readonly optimizer: AdamW;
  readonly schedule: (step: number) => number;
  readonly accumulation: number;
  readonly maxGradNorm: number;
  readonly totalSteps: number;
  /** Source of the dropout seeds; its `state` is saved with a resumable checkpoint. */
  readonly rng: Mulberry32;
  private accumulated = new Map<string, tf.Tensor>();
  private micro = 0;

  constructor(
    readonly model: TfjsAlbertModel<H>,
    options: TrainerOptions,
  ) {
    const set = trainerSettings(options);
    this.accumulation = set.accumulation;
    this.maxGradNorm = set.maxGradNorm;
    this.totalSteps = set.totalSteps;
    this.rng = new Mulberry32(options.seed ?? 0);
    this.schedule = set.schedule;
    this.optimizer = new AdamW(set.adamw);
  }

  /** Micro-batches accumulated since the last optimizer step (0 at a step boundary, where a checkpoint is exact). */
  get pendingMicroBatches(): number {
    return this.micro;
  }

  /** Optimizer steps taken. */
  get step(): number {
    return this.optimizer.step;
  }

  /** Gradients of one micro-batch's loss (dropout on), keyed by checkpoint name. */
  private lossAndGrads(batch: AlbertInputs): { loss: number; grads: Map<string, tf.Tensor> } {
    const m = this.model;
    const prepared = m.prepare(batch);
    const vars = [...m.params.variables.values()];
    const { value, grads } = tf.variableGrads(
      () =>
        m.objective(
          m.run(prepared, { training: true, lossOnly: true, seed: Math.floor(this.rng.next() * 2 ** 31) }),
        ) as tf.Scalar,
      vars,
    );
    const loss = value.dataSync()[0]!;
    value.dispose();
    const named = new Map<string, tf.Tensor>();
    for (const [name, v] of m.params.variables) {
      const g = grads[v.name];
      if (g) named.set(name, g);
    }
    return { loss, grads: named };
  }

  /** One micro-batch: accumulates its gradients and, every `gradientAccumulationSteps`, updates the weights. */
  async trainStep(batch: AlbertInputs): Promise<StepResult> {
    await activate(this.model.tfBackend);
    const { loss, grads } = this.lossAndGrads(batch);
    if (!Number.isFinite(loss)) {
      tf.dispose([...grads.values()]);
      throw new InputError(`training loss is ${loss}: check the labels (all ignored?) and the learning rate`);
    }
    for (const [k, g] of grads) {
      const prev = this.accumulated.get(k);
      this.accumulated.set(k, prev ? tf.add(prev, g) : g);
      if (prev) {
        prev.dispose();
        g.dispose();
      }
    }
    this.micro++;
    if (this.micro < this.accumulation) return { loss, updated: false };
    const mean = new Map<string, tf.Tensor>();
    for (const [k, g] of this.accumulated) {
      mean.set(k, this.accumulation === 1 ? g : tf.div(g, this.accumulation));
      if (this.accumulation !== 1) g.dispose();
    }
    this.accumulated = new Map();
    this.micro = 0;
    const gradNorm = this.maxGradNorm > 0 ? clipByGlobalNorm(mean, this.maxGradNorm) : Number.NaN;
    const lr = this.schedule(this.optimizer.step);
    this.optimizer.apply(this.model.params.variables, mean, lr);
    tf.dispose([...mean.values()]);
    return { loss, updated: true, lr, ...(Number.isNaN(gradNorm) ? {} : { gradNorm }) };
  }

  /**
   * Trains on `batches` (micro-batches, e.g. a generator over epochs) until they run out or `maxSteps`
   * optimizer steps are done, evaluating and saving as asked (core's fitLoop).
   */
  fit(batches: Iterable<AlbertInputs> | AsyncIterable<AlbertInputs>, options: FitOptions = {}): Promise<FitResult> {
    return fitLoop(this, batches, options);
  }

  /** Mean loss (and accuracy where labels are class ids) without dropout. */
  async evaluate(batches: Iterable<AlbertInputs>): Promise<EvalResult> {
    await activate(this.model.tfBackend);
    let lossSum = 0;
    let examples = 0;
    let correct = 0;
    let counted = 0;
    for (const batch of batches) {
      const prepared = this.model.prepare(batch);
      const n = prepared.lead[0]!; // examples (B of [B, C] for multiple choice)
      const [loss, pred] = tf.tidy(() => {
        const r = this.model.run(prepared);
        const logits = r.fields.logits ?? r.fields.prediction_logits;
        return [
          r.loss ? r.loss.dataSync()[0]! : Number.NaN,
          logits ? tf.argMax(logits, -1).dataSync() : undefined,
        ] as const;
      });
      lossSum += loss * n;
      examples += n;
      const ids = prepared.labels.ids;
      if (pred && ids) {
        const c = countCorrect(pred, ids);
        correct += c.correct;
        counted += c.counted;
      }
    }
    return { loss: lossSum / examples, ...(counted ? { accuracy: correct / counted } : {}), examples };
  }

  /** model.safetensors + config.json that transformers' from_pretrained loads. */
  save(dir: string): Promise<string[]> {
    return saveCheckpoint(this.model, dir);
  }

  dispose(): void {
    this.optimizer.dispose();
    tf.dispose([...this.accumulated.values()]);
    this.accumulated.clear();
  }
}
