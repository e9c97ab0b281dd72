// The shape of a gradient rule: given a forward node and the gradients of its outputs, emit the
// gradients of the inputs that need one. Rules port onnxruntime's training gradient builders.
import type { NodeProto } from '../../graph/proto.js';
import type { GradEmitter } from '../emitter.js';

/** onnxruntime's gradient builders, the reference every rule links to (by function name). */
export const ORT_GRADIENT_BUILDER =
  'https://github.com/microsoft/onnxruntime/blob/00806ce9babdd0e5d7b40c77819f0416f0a1eac9/orttraining/orttraining/core/graph/gradient_builder.cc';

export interface RuleArgs {
  node: NodeProto;
  /** Forward inputs and outputs of the node. */
  x: readonly string[];
  y: readonly string[];
  /** Gradient of each output (undefined: the output does not reach the loss). */
  dy: readonly (string | undefined)[];
  /** Which inputs need a gradient. */
  need: readonly boolean[];
  e: GradEmitter;
  /** Gather of an embedding table: the index whose row gets no gradient (torch's padding_idx). */
  paddingIdx?: number;
}

export interface GradRule {
  /** Inputs a gradient can flow into (indices). */
  inputs: readonly number[];
  grad(a: RuleArgs): (string | undefined)[];
}

/** The first output's gradient (the rules of single-output ops). */
export function dy0(a: RuleArgs): string {
  const d = a.dy[0];
  if (!d) throw new Error(`${a.node.opType}: no output gradient`);
  return d;
}
