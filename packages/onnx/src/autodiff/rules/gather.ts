// Gradients of the gathers: the output gradient scattered back into zeros with reduction = add, so rows
// gathered more than once (a token id used twice, a position in every example) sum their gradients.
// See ORT_GRADIENT_BUILDER: GetGatherGradient (onnxruntime's GatherGrad kernel; here ScatterND with
// reduction "add", opset 16) and GetGatherElementsGradient (GatherElementsGrad; here ScatterElements
// with reduction "add").
import { i, ints, s } from '../../graph/attrs.js';
import { attrInt } from '../attrs-read.js';
import { norm } from '../shapes.js';
import { dy0, type GradRule } from './rule.js';

const gather: GradRule = {
  inputs: [0],
  grad: (a) => {
    const { e } = a;
    const [data, idx] = a.x as [string, string];
    const r = e.rank(data);
    const m = e.rank(idx);
    let d = dy0(a);
    if (a.paddingIdx !== undefined) {
      // torch's Embedding(padding_idx): lookups of the padding row pass no gradient to it.
      const keep = e.op('Cast', [e.op('Not', [e.op('Equal', [idx, e.i64([a.paddingIdx], [])])])], { to: i(1) }); // [...idx] float
      d = e.op('Mul', [d, e.op('Unsqueeze', [keep, e.i64([-1])])]); // [...idx, 1] broadcast over the row
    }
    const axis = norm(attrInt(a.node, 'axis', 0), r);
    const where = e.op('Unsqueeze', [idx, e.i64([-1])]); // [...idx, 1]
    if (axis === 0) return [e.op('ScatterND', [e.zerosLike(data), where, d], { reduction: s('add') })];
    // Gather along `axis`: scatter along axis 0 of the data with `axis` moved first, then move it back.
    const perm = [axis, ...Array.from({ length: r }, (_, k) => k).filter((k) => k !== axis)];
    const moved = e.op('Transpose', [data], { perm: ints(perm) }); // [data[axis], ...the other dims]
    // dY is [...data[:axis], ...idx, ...data[axis+1:]]: bring the index dims first.
    const dperm = [
      ...Array.from({ length: m }, (_, k) => axis + k),
      ...Array.from({ length: axis }, (_, k) => k),
      ...Array.from({ length: r - axis - 1 }, (_, k) => axis + m + k),
    ];
    const dMoved = dperm.every((p, k) => p === k) ? d : e.op('Transpose', [d], { perm: ints(dperm) }); // [...idx, ...the other dims]
    const scattered = e.op('ScatterND', [e.zerosLike(moved), where, dMoved], { reduction: s('add') });
    const back = new Array<number>(r);
    perm.forEach((p, k) => {
      back[p] = k;
    });
    return [e.op('Transpose', [scattered], { perm: ints(back) })];
  },
};

const gatherElements: GradRule = {
  inputs: [0],
  grad: (a) => {
    const { e } = a;
    const axis = attrInt(a.node, 'axis', 0);
    return [e.op('ScatterElements', [e.zerosLike(a.x[0]!), a.x[1]!, dy0(a)], { axis: i(axis), reduction: s('add') })];
  },
};

export const GATHER_RULES: Record<string, GradRule> = { Gather: gather, GatherElements: gatherElements };
