// Reference loss definitions of the ALBERT heads, computed on the CPU in float64 from logits.
// Backends that compute logits elsewhere (onnx, webgpu) use these; tfjs re-implements them
// differentiably and is tested against these. Semantics follow modeling_albert.py:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L697-L718 (loss blocks of AlbertFor*; QA: #L838-L846)
import type { AlbertConfig, ProblemType } from '../config.js';
import { InputError } from '../errors.js';
import { shapeStr, Tensor } from '../tensor.js';

export const IGNORE_INDEX = -100;

/** Mean cross-entropy over rows of [N, C] logits, skipping targets equal to ignoreIndex (torch: NaN when all are ignored). */
export function crossEntropy(
  logits: Float32Array,
  numClasses: number,
  targets: ArrayLike<number>,
  ignoreIndex = IGNORE_INDEX,
): number {
  const n = logits.length / numClasses;
  if (targets.length !== n)
    throw new InputError(`labels have ${targets.length} elements but logits have ${n} rows of ${numClasses} classes`);
  let sum = 0;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const t = targets[r]!;
    if (t === ignoreIndex) continue;
    if (!Number.isInteger(t) || t < 0 || t >= numClasses)
      throw new InputError(
        `labels[${r}] = ${t} is out of range [0, ${numClasses}) (use ${ignoreIndex} to ignore a position)`,
      );
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[r * numClasses + c]!);
    let z = 0;
    for (let c = 0; c < numClasses; c++) z += Math.exp(logits[r * numClasses + c]! - max);
    sum += max + Math.log(z) - logits[r * numClasses + t]!;
    count++;
  }
  return sum / count;
}

export function mse(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  if (pred.length !== target.length)
    throw new InputError(`regression labels have ${target.length} elements, logits ${pred.length}`);
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i]! - target[i]!) ** 2;
  return s / pred.length;
}

/** BCEWithLogitsLoss (mean), numerically stable form. */
export function bceWithLogits(logits: ArrayLike<number>, target: ArrayLike<number>): number {
  if (logits.length !== target.length)
    throw new InputError(`multi-label labels have ${target.length} elements, logits ${logits.length}`);
  let s = 0;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    s += Math.max(x, 0) - x * target[i]! + Math.log1p(Math.exp(-Math.abs(x)));
  }
  return s / logits.length;
}

/** AlbertForSequenceClassification.forward's problem_type inference. */
export function inferProblemType(config: AlbertConfig, labels: Tensor): ProblemType {
  if (config.problem_type) return config.problem_type;
  if (config.num_labels === 1) return 'regression';
  return labels.dtype === 'int64' || labels.dtype === 'int32'
    ? 'single_label_classification'
    : 'multi_label_classification';
}

export function numbers(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Loss of a sequence classifier from [B, L] logits. */
export function sequenceClassificationLoss(config: AlbertConfig, logits: Tensor<Float32Array>, labels: Tensor): number {
  const L = config.num_labels;
  const pt = inferProblemType(config, labels);
  const y = numbers(labels);
  if (pt === 'regression') return mse(logits.data, y);
  if (pt === 'single_label_classification') return crossEntropy(logits.data, L, y);
  if (labels.size !== logits.size)
    throw new InputError(
      `multi_label_classification labels must have shape ${shapeStr(logits.shape)}, got ${shapeStr(labels.shape)}`,
    );
  return bceWithLogits(logits.data, y);
}

/** QA loss: positions clamped to [0, S]; S is ignored; (start + end) / 2. */
export function questionAnsweringLoss(
  start: Tensor<Float32Array>,
  end: Tensor<Float32Array>,
  startPositions: Tensor,
  endPositions: Tensor,
): number {
  const S = start.shape[start.shape.length - 1]!;
  const clamp = (t: Tensor) => numbers(t).map((v) => Math.min(Math.max(v, 0), S));
  return (
    (crossEntropy(start.data, S, clamp(startPositions), S) + crossEntropy(end.data, S, clamp(endPositions), S)) / 2
  );
}

export function scalar(v: number): Tensor<Float32Array> {
  return new Tensor('float32', Float32Array.of(v), []);
}
