// The backend-neutral training API: the options, results and loop every backend's Trainer shares
// (@albertjs/tfjs on TensorFlow.js, @albertjs/onnx on onnxruntime). A backend implements trainStep,
// evaluate and save; `fitLoop` drives any of them the same way (transformers' Trainer.train loop).
import type { AlbertInputs } from '../backend.js';

export interface TrainerOptions {
  /** Peak learning rate. */
  learningRate: number;
  /** Optimizer steps the schedule spans (decays to 0 there). */
  totalSteps: number;
  warmupSteps?: number;
  /** AdamW decoupled weight decay (not applied to biases / LayerNorm). Default 0.01. */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Global gradient-norm clip; 0 turns it off. Default 1.0 (transformers' max_grad_norm). */
  maxGradNorm?: number;
  /** Micro-batches per optimizer step (their gradients are averaged). Default 1. */
  gradientAccumulationSteps?: number;
  /** Seed of the dropout masks: the same seed, weights and batches give the same run. Default 0. */
  seed?: number;
}

export interface StepResult {
  /** Loss of this micro-batch. */
  loss: number;
  /** Whether an optimizer step happened after it. */
  updated: boolean;
  /** Learning rate the update used (when updated). */
  lr?: number;
  /** Gradient norm before clipping (when updated). */
  gradNorm?: number;
}

export interface EvalResult {
  /** Mean loss over examples. */
  loss: number;
  /** Share of labelled positions whose argmax matches (classification heads, MLM, token, multiple choice). */
  accuracy?: number;
  examples: number;
}

export interface FitOptions {
  /** Stop after this many optimizer steps (default: the schedule's totalSteps). */
  maxSteps?: number;
  /** Evaluate every N optimizer steps (and at the end) on these batches. */
  evalBatches?: () => Iterable<AlbertInputs>;
  evalEvery?: number;
  /** Save a checkpoint here after every evaluation and at the end. */
  saveDir?: string;
  onLog?: (entry: { step: number; loss: number; lr?: number; gradNorm?: number; eval?: EvalResult }) => void;
}

export interface FitResult {
  steps: number;
  /** Mean micro-batch loss of the last optimizer step. */
  lastLoss: number;
  evals: { step: number; result: EvalResult }[];
}

/** What every backend's Trainer implements. */
export interface AlbertTrainer {
  /** Optimizer steps taken. */
  readonly step: number;
  readonly totalSteps: number;
  /** Micro-batches accumulated since the last optimizer step. */
  readonly pendingMicroBatches: number;
  /** One micro-batch: accumulates its gradients and, every `gradientAccumulationSteps`, updates the weights. */
  trainStep(batch: AlbertInputs): Promise<StepResult>;
  /** Mean loss (and accuracy where labels are class ids) without dropout. */
  evaluate(batches: Iterable<AlbertInputs>): Promise<EvalResult>;
  /** model.safetensors + config.json that transformers' from_pretrained loads. */
  save(dir: string): Promise<string[]>;
  fit(batches: Iterable<AlbertInputs> | AsyncIterable<AlbertInputs>, options?: FitOptions): Promise<FitResult>;
  dispose(): void;
}

/**
 * Trains on `batches` (micro-batches, e.g. a generator over epochs) until they run out or `maxSteps`
 * optimizer steps are done, evaluating and saving as asked.
 */
export async function fitLoop(
  t: Omit<AlbertTrainer, 'fit'>,
  batches: Iterable<AlbertInputs> | AsyncIterable<AlbertInputs>,
  options: FitOptions = {},
): Promise<FitResult> {
  const maxSteps = options.maxSteps ?? t.totalSteps;
  const evals: FitResult['evals'] = [];
  let lossSum = 0;
  let micro = 0;
  let lastLoss = Number.NaN;
  const evaluate = async () => {
    if (!options.evalBatches) return undefined;
    const result = await t.evaluate(options.evalBatches());
    evals.push({ step: t.step, result });
    if (options.saveDir) await t.save(options.saveDir);
    return result;
  };
  if (t.step >= maxSteps) return { steps: t.step, lastLoss, evals };
  for await (const batch of batches) {
    const r = await t.trainStep(batch);
    lossSum += r.loss;
    micro++;
    if (!r.updated) continue;
    lastLoss = lossSum / micro;
    lossSum = 0;
    micro = 0;
    const due = options.evalEvery && t.step % options.evalEvery === 0 && t.step < maxSteps;
    const ev = due ? await evaluate() : undefined;
    options.onLog?.({
      step: t.step,
      loss: lastLoss,
      ...(r.lr !== undefined ? { lr: r.lr } : {}),
      ...(r.gradNorm !== undefined ? { gradNorm: r.gradNorm } : {}),
      ...(ev ? { eval: ev } : {}),
    });
    if (t.step >= maxSteps) break;
  }
  const final = await evaluate();
  if (final) options.onLog?.({ step: t.step, loss: lastLoss, eval: final });
  else if (options.saveDir) await t.save(options.saveDir);
  return { steps: t.step, lastLoss, evals };
}

/** The accuracy counts of one batch: argmax `pred` rows against class ids (−100 skipped). */
export function countCorrect(pred: ArrayLike<number>, ids: ArrayLike<number>): { correct: number; counted: number } {
  let correct = 0;
  let counted = 0;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === -100) continue;
    counted++;
    if (pred[i] === ids[i]) correct++;
  }
  return { correct, counted };
}
