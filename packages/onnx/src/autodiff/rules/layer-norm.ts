// Gradient of opset-17 LayerNormalization over the last axis, in plain ops from the forward node's saved
// Mean and InvStdDev outputs (onnxruntime's training build has a LayerNormalizationGrad kernel that the
// inference runtimes lack). See ORT_GRADIENT_BUILDER: GetLayerNormalizationGradient.
//   x̂ = (x − mean)·inv, g = dy·γ
//   dx = inv · (g − mean(g) − x̂ · mean(g·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy   (sums over the leading axes)
import { ints } from '../../graph/attrs.js';
import { attrInt } from '../attrs-read.js';
import { norm } from '../shapes.js';
import { dy0, type GradRule } from './rule.js';

const layerNorm: GradRule = {
  inputs: [0, 1, 2],
  grad: (a) => {
    const { e } = a;
    const [x, gamma, beta] = a.x as [string, string, string | undefined];
    const r = e.rank(x);
    if (norm(attrInt(a.node, 'axis', -1), r) !== r - 1)
      throw new Error('LayerNormalization gradient: only normalization over the last axis is supported');
    const [, mean, inv] = a.y;
    if (!mean || !inv) throw new Error('LayerNormalization gradient needs the Mean and InvStdDev outputs');
    const d = dy0(a);
    const xhat = e.op('Mul', [e.op('Sub', [x, mean]), inv]);
    const last = { axes: ints([-1]) };
    let dx: string | undefined;
    if (a.need[0]) {
      const g = e.op('Mul', [d, gamma]);
      const mg = e.op('ReduceMean', [g], last);
      const mgx = e.op('ReduceMean', [e.op('Mul', [g, xhat])], last);
      dx = e.op('Mul', [inv, e.op('Sub', [e.op('Sub', [g, mg]), e.op('Mul', [xhat, mgx])])]);
    }
    return [
      dx,
      a.need[1] ? e.unbroadcast(e.op('Mul', [d, xhat]), gamma) : undefined,
      beta && a.need[2] ? e.unbroadcast(d, beta) : undefined,
    ];
  },
};

export const NORM_RULES: Record<string, GradRule> = { LayerNormalization: layerNorm };
