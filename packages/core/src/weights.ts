// A checkpoint's tensors bound to one model class: prefix handling, tying and the load report,
// as transformers' PreTrainedModel._load_pretrained_model reports them.
import type { AlbertConfig } from './config.js';
import { CheckpointError } from './errors.js';
import type { HeadName } from './heads/names.js';
import { headParams, type ParamSpec, tiedKeys, untiedDecoderParam } from './heads/spec.js';
import { shapeStr, type Tensor, toFloat32 } from './tensor.js';

export interface LoadReport {
  /** Parameters the model needs that the checkpoint lacks (they are NOT initialized: loading fails unless allowMissing). */
  missing: string[];
  /** Checkpoint tensors the model does not use (e.g. head weights when loading AlbertModel). */
  unexpected: string[];
  /** Present with the wrong shape: `name: checkpoint [a, b] vs model [c, d]`. */
  mismatched: { name: string; checkpoint: number[]; model: number[] }[];
  /**
   * Parameters given fresh `_init_weights` values instead of checkpoint values (missing ones, and mismatched ones
   * under ignoreMismatchedSizes): filled by loadPretrained, always empty from bindWeights itself.
   */
  newlyInitialized: string[];
}

/** Read-only parameter store with prefix views (as candle's `vb.pp("encoder")`). */
export class WeightMap {
  constructor(
    readonly tensors: ReadonlyMap<string, Tensor<Float32Array> | Tensor<Uint16Array>>,
    readonly prefix = '',
  ) {}
  /** A view whose names are relative to `prefix` (joined with a dot). */
  pp(prefix: string): WeightMap {
    return new WeightMap(this.tensors, this.prefix ? `${this.prefix}.${prefix}` : prefix);
  }
  has(name: string): boolean {
    return this.tensors.has(this.full(name));
  }
  /** Tensor by relative name; throws naming the full key and, when given, the expected shape. */
  get(name: string, shape?: readonly number[]): Tensor<Float32Array> | Tensor<Uint16Array> {
    const key = this.full(name);
    const t = this.tensors.get(key);
    if (!t) throw new CheckpointError(`weight ${key} not found`);
    if (shape && (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
      throw new CheckpointError(`weight ${key} has shape ${shapeStr(t.shape)}, expected ${shapeStr(shape)}`);
    }
    return t;
  }
  /** Same as get() but always float32 (f16/bf16 widened). */
  f32(name: string, shape?: readonly number[]): Tensor<Float32Array> {
    return toFloat32(this.get(name, shape));
  }
  keys(): string[] {
    const p = this.prefix ? `${this.prefix}.` : '';
    return [...this.tensors.keys()].filter((k) => k.startsWith(p)).map((k) => k.slice(p.length));
  }
  private full(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }
}

export interface BindOptions {
  /** 'float32' (default) widens f16/bf16; 'keep' keeps half-precision tensors as stored. */
  dtype?: 'float32' | 'keep';
  /** Do not throw when parameters are missing (they stay absent; the report lists them). */
  allowMissing?: boolean;
  /** Do not throw when parameters have another shape than the config gives (they stay absent; the report lists them). */
  ignoreMismatchedSizes?: boolean;
}

/**
 * Binds raw checkpoint tensors to `head`: strips or adds the `albert.` prefix as transformers does
 * (base model loaded from a head checkpoint, head loaded from a base checkpoint), ties the decoder
 * weight and bias, and reports missing / unexpected / mismatched keys.
 */
export function bindWeights(
  head: HeadName,
  config: AlbertConfig,
  raw: ReadonlyMap<string, Tensor>,
  options: BindOptions = {},
): { weights: WeightMap; report: LoadReport; params: ParamSpec[] } {
  const params = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) params.push(untied);
  const tied = tiedKeys(head, config);
  const wantsPrefix = head !== 'AlbertModel';
  const rawHasPrefix = [...raw.keys()].some((k) => k.startsWith('albert.'));
  const rename = (k: string): string => {
    if (!wantsPrefix && rawHasPrefix) return k.startsWith('albert.') ? k.slice('albert.'.length) : `\u0000${k}`;
    if (wantsPrefix && !rawHasPrefix && /^(embeddings|encoder|pooler)\./.test(k)) return `albert.${k}`;
    return k;
  };
  const byName = new Map<string, { orig: string; t: Tensor }>();
  for (const [k, t] of raw) byName.set(rename(k), { orig: k, t });
  const report: LoadReport = { missing: [], unexpected: [], mismatched: [], newlyInitialized: [] };
  const out = new Map<string, Tensor<Float32Array> | Tensor<Uint16Array>>();
  const used = new Set<string>();
  for (const p of params) {
    const hit = byName.get(p.name);
    if (!hit) {
      report.missing.push(p.name);
      continue;
    }
    used.add(p.name);
    if (hit.t.shape.length !== p.shape.length || hit.t.shape.some((d, i) => d !== p.shape[i])) {
      report.mismatched.push({ name: p.name, checkpoint: [...hit.t.shape], model: p.shape });
      continue;
    }
    if (
      hit.t.dtype !== 'float32' &&
      hit.t.dtype !== 'float16' &&
      hit.t.dtype !== 'bfloat16' &&
      hit.t.dtype !== 'float64'
    ) {
      throw new CheckpointError(
        `weight ${hit.orig} has dtype ${hit.t.dtype}; ALBERT parameters must be floating point`,
      );
    }
    const keepHalf = options.dtype === 'keep' && (hit.t.dtype === 'float16' || hit.t.dtype === 'bfloat16');
    out.set(p.name, keepHalf ? (hit.t as Tensor<Uint16Array>) : toFloat32(hit.t));
  }
  for (const [target] of Object.entries(tied)) used.add(target);
  for (const [name, { orig }] of byName) if (!used.has(name)) report.unexpected.push(orig);
  if (report.mismatched.length && !options.ignoreMismatchedSizes) {
    const m = report.mismatched
      .map((x) => `${x.name}: checkpoint ${shapeStr(x.checkpoint)} vs model ${shapeStr(x.model)}`)
      .join('; ');
    throw new CheckpointError(
      `${head}: ${report.mismatched.length} weight(s) have the wrong shape for this config: ${m}`,
    );
  }
  if (report.missing.length && !options.allowMissing) {
    throw new CheckpointError(
      `${head}: ${report.missing.length} weight(s) missing from the checkpoint: ${report.missing.slice(0, 8).join(', ')}${report.missing.length > 8 ? ', …' : ''}`,
    );
  }
  // Tied parameters alias the same tensor object: one copy in memory.
  for (const [target, source] of Object.entries(tied)) {
    const s = out.get(source);
    if (s) out.set(target, s);
  }
  return { weights: new WeightMap(out), report, params };
}
