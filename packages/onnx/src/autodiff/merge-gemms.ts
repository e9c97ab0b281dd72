// Summing the gradients of a shared weight: ALBERT applies one layer 12 times, so each of its weights
// collects 12 products dW_i = A_iᵀ·D_i (the MatMul rule's Gemm with transA, A_i and D_i on [rows, ·]).
// Σ_i A_iᵀ·D_i = [A_1; …; A_n]ᵀ·[D_1; …; D_n]: one Gemm over the row-concatenated operands replaces n
// Gemms and their Sum, which reads n full weight-sized gradients (profiled at ≈ 9 ms per [768, 3072]
// weight per albert-base step at 1 × 128, against ≈ 1 ms to copy the operands together).
import { i } from '../graph/attrs.js';
import type { GraphBuilder } from '../graph/builder.js';
import type { NodeProto } from '../graph/proto.js';
import { attrInt } from './attrs-read.js';
import type { GradEmitter } from './emitter.js';

/** Finds the node producing a value (nodes only ever appended while the backward pass runs). */
export class Producers {
  private readonly by = new Map<string, NodeProto>();
  private seen = 0;

  constructor(private readonly g: GraphBuilder) {}

  of(v: string): NodeProto | undefined {
    for (; this.seen < this.g.nodes.length; this.seen++)
      for (const o of this.g.nodes[this.seen]!.output ?? []) if (o) this.by.set(o, this.g.nodes[this.seen]!);
    return this.by.get(v);
  }
}

/** Whether `n` is a plain `Gemm(A, D, transA = 1)`: Aᵀ·D, no C, no other attribute. */
function isWeightGrad(n: NodeProto | undefined): n is NodeProto {
  return (
    n?.opType === 'Gemm' &&
    !n.domain &&
    n.input?.length === 2 &&
    attrInt(n, 'transA', 0) === 1 &&
    (n.attribute ?? []).every((a) => a.name === 'transA')
  );
}

/**
 * `contributions` (gradients of one value, to be summed) with every two or more Aᵀ·D Gemms among them
 * replaced by one Gemm over the concatenated operands; the replaced Gemm nodes go into `dropped` (their
 * outputs had no other use: they were made as these contributions).
 */
export function mergeWeightGrads(
  e: GradEmitter,
  producers: Producers,
  contributions: readonly string[],
  dropped: Set<NodeProto>,
): string[] {
  const gemms = contributions.map((v) => producers.of(v)).filter(isWeightGrad);
  if (gemms.length < 2) return [...contributions];
  const merged = new Set(gemms.map((n) => n.output![0]!));
  for (const n of gemms) dropped.add(n);
  const a = e.op(
    'Concat',
    gemms.map((n) => n.input![0]!),
    { axis: i(0) },
  ); // [Σ rows, K]
  const d = e.op(
    'Concat',
    gemms.map((n) => n.input![1]!),
    { axis: i(0) },
  ); // [Σ rows, N]
  const dw = e.op('Gemm', [a, d], { transA: i(1) }); // [K, N]
  return [dw, ...contributions.filter((v) => !merged.has(v))];
}
