// AdamW as a small onnxruntime graph on a GPU execution provider (onnxruntime-web webgpu): the parameters,
// gradients and moments stay on the device between steps (IO binding: inputs fed as the previous run's
// 'gpu-buffer' outputs); only the gradient norm (4 bytes) comes back per step. The same update as HostAdamW
// (adamw.ts), in float32: the micro-batch gradients summed in order and divided by their count (torch's
// `g /= n`), clip_grad_norm_ (per-tensor norms, the norm of those, coef = max_norm / (norm + 1e-6) clamped
// to 1), then torch.optim.AdamW's step with decoupled weight decay on the weights core's `decays` names.
// The step count and the moments' host copies live in the HostAdamW it wraps: download() writes the
// device state there (save, resumable checkpoints), forget() drops the device moments after the host ones
// changed (loadTrainingState), so the next step uploads them once.
// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
// https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html
import { BackendError, decays } from '@albertjs/core';
import { i } from '../graph/attrs.js';
import { GraphBuilder } from '../graph/builder.js';
import { serializeModel } from '../graph/serialize.js';
import {
  createSession,
  firstLine,
  type OrtModule,
  type OrtSession,
  type OrtTensor,
  type SessionConfig,
} from '../runtime/ort.js';
import type { HostAdamW } from './adamw.js';

/** The optimizer graph for these parameters (name → shape) and `micro` gradient sets per step. */
export function buildAdamWGraph(
  shapes: ReadonlyMap<string, readonly number[]>,
  micro: number,
  maxNorm: number,
  o: Pick<HostAdamW, 'beta1' | 'beta2' | 'eps'>,
): GraphBuilder {
  const g = new GraphBuilder('adamw');
  const scalar = (name: string) => g.input(name, 'float32', []);
  const keep = scalar('keep'); // 1 − lr·weight_decay
  const stepSize = scalar('step_size'); // lr / (1 − β1^t)
  const invSqrtBc2 = scalar('inv_sqrt_bc2'); // 1 / √(1 − β2^t)
  const names = [...shapes.keys()];
  const grads = names.map((name, k) => {
    const dims = [...shapes.get(name)!];
    let sum = g.input(`g0_${k}`, 'float32', dims);
    for (let j = 1; j < micro; j++) sum = g.op('Add', [sum, g.input(`g${j}_${k}`, 'float32', dims)]); // in micro-batch order
    return micro > 1 ? g.op('Div', [sum, g.f32(micro)]) : sum;
  });
  let scale: string | undefined;
  if (maxNorm > 0) {
    const norms = grads.map((x) => g.op('Unsqueeze', [g.op('ReduceL2', [x], { keepdims: i(0) }), g.i64([0])])); // [1] each
    const total = g.op('ReduceL2', [g.op('Concat', norms, { axis: i(0) })], { keepdims: i(0) }); // []
    g.output('grad_norm', total, 'float32', []);
    const coef = g.op('Div', [g.f32(maxNorm), g.op('Add', [total, g.f32(1e-6)])]);
    scale = g.op('Min', [coef, g.f32(1)]);
  }
  const b1 = g.f32(o.beta1);
  const c1 = g.f32(1 - o.beta1);
  const b2 = g.f32(o.beta2);
  const c2 = g.f32(1 - o.beta2);
  const eps = g.f32(o.eps);
  names.forEach((name, k) => {
    const dims = [...shapes.get(name)!];
    const p = g.input(`p_${k}`, 'float32', dims);
    const m = g.input(`m_${k}`, 'float32', dims);
    const v = g.input(`v_${k}`, 'float32', dims);
    const gk = scale ? g.op('Mul', [grads[k]!, scale]) : grads[k]!;
    const m2 = g.op('Add', [g.op('Mul', [m, b1]), g.op('Mul', [gk, c1])]);
    const v2 = g.op('Add', [g.op('Mul', [v, b2]), g.op('Mul', [g.op('Mul', [gk, gk]), c2])]);
    const denom = g.op('Add', [g.op('Mul', [g.op('Sqrt', [v2]), invSqrtBc2]), eps]);
    const kept = decays(name) ? g.op('Mul', [p, keep]) : p;
    const p2 = g.op('Sub', [kept, g.op('Div', [g.op('Mul', [m2, stepSize]), denom])]);
    g.output(`p2_${k}`, p2, 'float32', dims);
    g.output(`m2_${k}`, m2, 'float32', dims);
    g.output(`v2_${k}`, v2, 'float32', dims);
  });
  return g;
}

export class DeviceAdamW {
  private readonly sessions = new Map<string, Promise<OrtSession>>();
  /** The moments on the device by parameter name (absent: the host optimizer's, or zeros). */
  private readonly m = new Map<string, OrtTensor>();
  private readonly v = new Map<string, OrtTensor>();

  constructor(
    private readonly ort: OrtModule,
    private readonly sessionConfig: SessionConfig,
    readonly host: HostAdamW,
    readonly maxNorm: number,
    /** Where the updated parameters and moments are kept: 'gpu-buffer' (webgpu); 'cpu' where the EP has no device memory (tests). */
    readonly location: 'gpu-buffer' | 'cpu' = 'gpu-buffer',
  ) {}

  private session(shapes: ReadonlyMap<string, readonly number[]>, micro: number): Promise<OrtSession> {
    const key = `${micro}|${[...shapes].map(([n, s]) => `${n}:${s.join('x')}`).join(',')}`;
    let s = this.sessions.get(key);
    if (!s) {
      const graph = buildAdamWGraph(shapes, micro, this.maxNorm, this.host);
      const location: Record<string, 'gpu-buffer' | 'cpu'> = {};
      for (const o of graph.outputs) if (o.name !== 'grad_norm') location[o.name] = this.location;
      s = createSession(
        this.ort,
        serializeModel(graph).model,
        { ...this.sessionConfig, ...(this.location === 'gpu-buffer' ? { preferredOutputLocation: location } : {}) },
        'the AdamW graph',
      );
      s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  /**
   * One AdamW step of every parameter in `params` that has a gradient, from the summed `micro` gradient
   * sets (onnxruntime tensors, on the device or not): `params` entries are replaced by the updated
   * device tensors (the old device ones, the moments and `grads` are released). Returns the gradient norm
   * before clipping (NaN without clipping).
   */
  async apply(params: Map<string, OrtTensor>, grads: readonly Map<string, OrtTensor>[], lr: number): Promise<number> {
    const shapes = new Map<string, readonly number[]>();
    for (const name of grads[0]!.keys()) shapes.set(name, params.get(name)!.dims);
    const session = await this.session(shapes, grads.length);
    const h = this.host;
    const step = h.step + 1;
    const f32 = (x: number) => new this.ort.Tensor('float32', Float32Array.of(x), []);
    const feeds: Record<string, OrtTensor> = {
      keep: f32(h.weightDecay ? 1 - lr * h.weightDecay : 1),
      step_size: f32(lr / (1 - h.beta1 ** step)),
      inv_sqrt_bc2: f32(1 / Math.sqrt(1 - h.beta2 ** step)),
    };
    const names = [...shapes.keys()];
    const moment = (device: Map<string, OrtTensor>, hostM: Map<string, Float32Array>, name: string) => {
      const t = device.get(name);
      if (t) return t;
      const dims = [...shapes.get(name)!];
      const n = dims.reduce((a, b) => a * b, 1);
      return new this.ort.Tensor('float32', hostM.get(name) ?? new Float32Array(n), dims);
    };
    names.forEach((name, k) => {
      feeds[`p_${k}`] = params.get(name)!;
      feeds[`m_${k}`] = moment(this.m, h.m, name);
      feeds[`v_${k}`] = moment(this.v, h.v, name);
      grads.forEach((set, j) => {
        feeds[`g${j}_${k}`] = set.get(name)!;
      });
    });
    let r: Awaited<ReturnType<OrtSession['run']>>;
    try {
      r = await session.run(feeds);
    } catch (e) {
      throw new BackendError(`onnxruntime failed running the AdamW graph: ${firstLine(e)}`, { cause: e });
    }
    h.step = step;
    names.forEach((name, k) => {
      const old = [params.get(name)!, this.m.get(name), this.v.get(name)];
      params.set(name, r[`p2_${k}`]!);
      this.m.set(name, r[`m2_${k}`]!);
      this.v.set(name, r[`v2_${k}`]!);
      for (const t of old) if (t?.location === 'gpu-buffer') t.dispose();
    });
    for (const set of grads) for (const t of set.values()) if (t.location === 'gpu-buffer') t.dispose();
    const norm = r.grad_norm;
    return norm ? (norm.data as Float32Array)[0]! : Number.NaN;
  }

  /**
   * Downloads the device state: every device parameter in `params` becomes a host tensor (uploaded once
   * again by the next step) and the moments are copied into the host optimizer's arrays.
   */
  async download(params: Map<string, OrtTensor>): Promise<void> {
    for (const [name, t] of params) {
      if (t.location !== 'gpu-buffer') continue;
      const data = new Float32Array((await t.getData()) as Float32Array);
      params.set(name, new this.ort.Tensor('float32', data, [...t.dims]));
      t.dispose();
    }
    for (const [device, hostM] of [
      [this.m, this.host.m],
      [this.v, this.host.v],
    ] as const)
      for (const [name, t] of device) hostM.set(name, new Float32Array((await t.getData()) as Float32Array));
    this.forget();
  }

  /** Releases the device moments: the next step starts from the host optimizer's. */
  forget(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }

  release(): void {
    this.forget();
    for (const s of this.sessions.values()) s.then((x) => x.release()).catch(() => undefined);
    this.sessions.clear();
  }
}
