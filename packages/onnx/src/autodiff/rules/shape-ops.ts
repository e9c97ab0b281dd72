// Gradients of the ops that only move elements. See ORT_GRADIENT_BUILDER: GetReshapeGradient,
// GetFlattenGradient, GetSqueezeGradient, GetUnsqueezeGradient (all: reshape dY to the input's shape),
// GetTransposeGradient (the inverse permutation), GetSplitGradient (Concat of the outputs' gradients).
import { i, ints } from '../../graph/attrs.js';
import { attrInt, attrInts } from '../attrs-read.js';
import { dy0, type GradRule } from './rule.js';

const reshapeBack: GradRule = { inputs: [0], grad: (a) => [a.e.reshapeLike(dy0(a), a.x[0]!)] }; // the shape of x

const transpose: GradRule = {
  inputs: [0],
  grad: (a) => {
    const r = a.e.rank(a.x[0]!);
    const perm = attrInts(a.node, 'perm') ?? Array.from({ length: r }, (_, k) => r - 1 - k);
    const inverse = new Array<number>(r);
    perm.forEach((p, k) => {
      inverse[p] = k;
    });
    return [a.e.op('Transpose', [dy0(a)], { perm: ints(inverse) })];
  },
};

const split: GradRule = {
  inputs: [0],
  grad: (a) => {
    const parts = a.y.map((y, k) => a.dy[k] ?? a.e.zerosLike(y));
    return [a.e.op('Concat', parts, { axis: i(attrInt(a.node, 'axis', 0)) })];
  },
};

export const SHAPE_RULES: Record<string, GradRule> = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: transpose,
  Split: split,
};
