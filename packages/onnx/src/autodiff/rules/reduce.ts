// Gradients of ReduceSum / ReduceMean: dY (with the reduced axes restored as 1s) expanded to the input's
// shape, divided by the reduced element count for the mean. See ORT_GRADIENT_BUILDER:
// GetReduceSumGradient, GetReduceMeanGradient.
import { i } from '../../graph/attrs.js';
import { ELEM_TO_ONNX } from '../../graph/proto.js';
import { attrInt, attrInts } from '../attrs-read.js';
import { norm } from '../shapes.js';
import { dy0, type GradRule, type RuleArgs } from './rule.js';

function spread(a: RuleArgs): string {
  const { e } = a;
  const x = a.x[0]!;
  const r = e.rank(x);
  const raw = a.node.opType === 'ReduceSum' && a.x[1] ? e.s.valueOf(a.x[1]).map(Number) : attrInts(a.node, 'axes');
  const axes = raw?.length ? raw.map((k) => norm(k, r)) : Array.from({ length: r }, (_, k) => k);
  let d = dy0(a);
  if (attrInt(a.node, 'keepdims', 1) === 0 && e.rank(d) !== r) d = e.op('Unsqueeze', [d, e.i64(axes)]); // reduced axes as 1s
  return e.op('Expand', [d, e.op('Shape', [x])]); // the shape of x
}

const reduceSum: GradRule = { inputs: [0], grad: (a) => [spread(a)] };

const reduceMean: GradRule = {
  inputs: [0],
  grad: (a) => {
    const { e } = a;
    const count = e.op('Cast', [e.op('Div', [e.op('Size', [a.x[0]!]), e.op('Size', [a.y[0]!])])], {
      to: i(ELEM_TO_ONNX.float32),
    });
    return [e.op('Div', [spread(a), count])];
  },
};

export const REDUCE_RULES: Record<string, GradRule> = { ReduceSum: reduceSum, ReduceMean: reduceMean };
