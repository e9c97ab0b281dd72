// Shared state while emitting one ALBERT graph: the builder, the config, the weights, the options, and
// the parameter store (each checkpoint tensor becomes ONE initializer, however many layers use it).
import { type AlbertConfig, parseLayerKey, type WeightMap } from '@albertjs/core';
import { i } from '../graph/attrs.js';
import type { GraphBuilder } from '../graph/builder.js';
import { ELEM_TO_ONNX } from '../graph/proto.js';
import { quantizePerColumn, toHalfBits, transpose2d } from '../graph/quantize.js';
import type { DropoutSite } from './dropout.js';
import type { Emit } from './emit.js';
import { emitLayerNorm, type NormW } from './layer-norm.js';
import { emitLinear, type LinearW } from './linear.js';
import type { GraphOptions } from './options.js';

/** Where a float32 parameter initializer comes from: its checkpoint tensor, stored as is or transposed. */
export interface ParamSource {
  /** Checkpoint name (`albert.encoder.embedding_hidden_mapping_in.weight`). */
  name: string;
  /** Checkpoint shape (torch layout). */
  shape: number[];
  /** Stored as the [in, out] transpose of the checkpoint's [out, in] weight. */
  transposed: boolean;
}

export class BuildContext {
  private readonly widened = new Map<string, string>();
  /** Every float32 parameter initializer by initializer name (what training graphs turn into inputs). */
  readonly sources = new Map<string, ParamSource>();
  /** Emission into the main graph. */
  readonly root: Emit;
  /** The dropout sites of a training graph (opts.dropout), in the order their masks are drawn. */
  readonly dropoutSites: DropoutSite[] = [];
  private readonly dropped = new Map<string, string>();

  constructor(
    readonly g: GraphBuilder,
    readonly config: AlbertConfig,
    readonly weights: WeightMap,
    readonly opts: GraphOptions,
  ) {
    this.root = {
      g,
      optimized: opts.flavour === 'optimized',
      eps: config.layer_norm_eps,
      skipLayerNorm: opts.skipLayerNorm ?? false,
    };
  }

  get optimized(): boolean {
    return this.opts.flavour === 'optimized';
  }

  /**
   * nn.Dropout(rate) on `x` in a training graph: x · the mask input `dropout.<site>` (added once,
   * `dims` its symbolic shape). Identity in inference graphs or when rate is 0.
   */
  dropout(x: string, site: string, rate: number, dims: (number | string)[], shape: DropoutSite['shape']): string {
    if (!this.opts.dropout || !(rate > 0)) return x;
    const name = this.dropoutInput(site, rate, dims, shape);
    const key = `${name}|${x}`;
    const hit = this.dropped.get(key);
    if (hit) return hit;
    const y = this.g.op('Mul', [x, name]);
    this.dropped.set(key, y);
    return y;
  }

  /** The mask input `dropout.<site>` of a training graph (added on first use); returns its name. */
  dropoutInput(site: string, rate: number, dims: (number | string)[], shape: DropoutSite['shape']): string {
    const name = `dropout.${site}`;
    if (!this.dropoutSites.some((d) => d.name === name)) {
      this.g.input(name, 'float32', dims);
      this.dropoutSites.push({ name, rate, shape });
    }
    return name;
  }

  /** Checkpoint name of a weight relative to `w`. */
  static fullName(w: WeightMap, name: string): string {
    return w.prefix ? `${w.prefix}.${name}` : name;
  }

  /**
   * A float32 graph value holding parameter `name` of `w`. fp16 storage adds one Cast per parameter
   * in the main graph (shared by every layer that uses it); LayerNorm parameters stay fp32.
   */
  param(w: WeightMap, name: string, shape: readonly number[]): string {
    const full = BuildContext.fullName(w, name);
    this.sources.set(initializerName(full), { name: full, shape: [...shape], transposed: false });
    return this.stored(full, shape, () => w.f32(name, shape).data, /LayerNorm|layer_norm/.test(full));
  }

  /** Stores `data` under `full` (fp16 when the graph's dtype says so) and returns a float32 value. */
  stored(fullName: string, shape: readonly number[], data: () => Float32Array, keepF32 = false): string {
    const full = initializerName(fullName);
    if (this.opts.dtype !== 'float16' || keepF32) {
      return this.g.hasInitializer(full) ? full : this.g.initializer(full, 'float32', shape, data());
    }
    const hit = this.widened.get(full);
    if (hit) return hit;
    this.g.initializer(full, 'float16', shape, toHalfBits(data()));
    const v = this.g.op('Cast', [full], { to: i(ELEM_TO_ONNX.float32) });
    this.widened.set(full, v);
    return v;
  }

  /**
   * A MatMul weight from a torch-layout [out, in] getter, stored transposed as [in, out] (`<name>.T`),
   * or per-column int8 (`<name>.T.int8` + `<name>.scale`) in int8 graphs.
   */
  matmulWeights(full: string, getW: () => Float32Array, inDim: number, outDim: number, bias?: string): LinearW {
    const b = bias ? { b: bias } : {};
    if (this.opts.dtype !== 'int8') {
      this.sources.set(initializerName(`${full}.T`), { name: full, shape: [outDim, inDim], transposed: true });
      return {
        kind: 'f32',
        w: this.stored(`${full}.T`, [inDim, outDim], () => transpose2d(getW(), outDim, inDim)),
        ...b,
      };
    }
    const q = initializerName(`${full}.T.int8`);
    const scale = initializerName(`${full}.scale`);
    if (!this.g.hasInitializer(q)) {
      const r = quantizePerColumn(transpose2d(getW(), outDim, inDim), inDim, outDim);
      this.g.initializer(q, 'int8', [inDim, outDim], r.q);
      this.g.initializer(scale, 'float32', [outDim], r.scale);
    }
    return { kind: 'int8', q, scale, ...b };
  }

  /** The weights of torch Linear `prefix` of `w` ([out, in] weight, [out] bias). */
  linearWeights(w: WeightMap, prefix: string, inDim: number, outDim: number, withBias = true): LinearW {
    const p = w.pp(prefix);
    const bias = withBias ? this.param(p, 'bias', [outDim]) : undefined;
    return this.matmulWeights(
      BuildContext.fullName(p, 'weight'),
      () => p.f32('weight', [outDim, inDim]).data,
      inDim,
      outDim,
      bias,
    );
  }

  normWeights(w: WeightMap, prefix: string, dim: number): NormW {
    const p = w.pp(prefix);
    return { w: this.param(p, 'weight', [dim]), b: this.param(p, 'bias', [dim]) };
  }

  /** x @ W^T + b in the main graph. */
  linear(x: string, w: WeightMap, prefix: string, inDim: number, outDim: number): string {
    return emitLinear(this.root, x, this.linearWeights(w, prefix, inDim, outDim));
  }

  /** LayerNorm in the main graph. */
  layerNorm(x: string, w: WeightMap, prefix: string, dim: number): string {
    return emitLayerNorm(this.root, x, this.normWeights(w, prefix, dim));
  }
}

const ROLES: [RegExp, string][] = [
  [/^attention\.query\./, 'q.'],
  [/^attention\.key\./, 'k.'],
  [/^attention\.value\./, 'v.'],
  [/^attention\.qkv\./, 'qkv.'],
  [/^attention\.dense\./, 'o.'],
  [/^attention\.LayerNorm\./, 'ln1.'],
  [/^ffn_output\./, 'fo.'],
  [/^ffn\./, 'fi.'],
  [/^full_layer_layer_norm\./, 'ln2.'],
];

/**
 * Initializer name of a checkpoint tensor. Shared-layer weights are referenced by every layer
 * application, so they get short names: `encoder.albert_layer_groups.G.albert_layers.J.attention.query.weight`
 * → `LG.J.q.w` (roles q k v qkv o ln1 fi fo ln2; w = weight, b = bias). Every other parameter keeps its checkpoint name.
 */
export function initializerName(full: string): string {
  const m = parseLayerKey(full);
  if (!m) return full;
  let rest = m.rest;
  for (const [re, short] of ROLES) rest = rest.replace(re, short);
  return `L${m.group}.${m.inner}.${rest.replace(/\bweight\b/, 'w').replace(/\bbias\b/, 'b')}`;
}
