// What core alone can check in a fixtures folder (no backend): every case's model folder binds to its
// model class with an empty missing / unexpected report (the `from-pretraining-ckpt` variant reports
// exactly the head weights as unexpected), and every checkpoint format under checkpoints/ loads to the
// same tensors as the float32 model folder.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  bindWeights,
  isHeadName,
  type LoadReport,
  parseWeightFile,
  readCheckpointDir,
  shapeStr,
  type Tensor,
  tiedKeys,
  toFloat32,
} from '@albertjs/core';
import { type CheckpointFixture, type FixtureCase, listCheckpoints } from './fixtures.js';

export interface CoreCheckResult {
  /** e.g. `load-report tiny/AlbertForMaskedLM`, `format tiny/AlbertForMaskedLM pytorch_model.bin` */
  id: string;
  kind: 'load-report' | 'format';
  pass: boolean;
  /** Largest |Δ| against the reference (format checks), else 0. */
  maxAbs: number;
  /** The worst tensor (format checks) or what was wrong. */
  detail: string;
  error?: string;
}

/** A check whose checkpoint did not load: fails, with the loader's message. */
function loadFailed(id: string, kind: CoreCheckResult['kind'], e: unknown): CoreCheckResult {
  return { id, kind, pass: false, maxAbs: 0, detail: 'load failed', error: (e as Error).message };
}

/** The unexpected keys a case must report: the head weights for `from-pretraining-ckpt`, none otherwise. */
export function expectedUnexpected(c: FixtureCase, checkpointKeys: readonly string[]): string[] {
  if (c.variant !== 'from-pretraining-ckpt') return [];
  return checkpointKeys.filter((k) => !k.startsWith('albert.')).sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function describeReport(r: LoadReport): string {
  const parts: string[] = [];
  if (r.missing.length)
    parts.push(`missing ${r.missing.length}: ${r.missing.slice(0, 4).join(', ')}${r.missing.length > 4 ? ', …' : ''}`);
  if (r.unexpected.length)
    parts.push(
      `unexpected ${r.unexpected.length}: ${r.unexpected.slice(0, 4).join(', ')}${r.unexpected.length > 4 ? ', …' : ''}`,
    );
  if (r.mismatched.length) parts.push(`mismatched ${r.mismatched.length}: ${r.mismatched[0]!.name}`);
  return parts.join('; ') || 'empty report';
}

/** One check per distinct (model folder, model class, variant kind) among `cases`. */
export async function checkLoadReports(cases: readonly FixtureCase[]): Promise<CoreCheckResult[]> {
  const seen = new Set<string>();
  const out: CoreCheckResult[] = [];
  for (const c of cases) {
    const key = `${c.model_dir}|${c.modelClass}|${c.variant === 'from-pretraining-ckpt'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const id = `load-report ${c.model_dir.replace(/^models\//, '')} as ${c.modelClass}`;
    try {
      const { config, tensors } = await readCheckpointDir(c.modelPath);
      const { report } = bindWeights(c.modelClass, config, tensors, { allowMissing: true });
      const want = expectedUnexpected(c, [...tensors.keys()]);
      const got = [...report.unexpected].sort();
      const pass = report.missing.length === 0 && report.mismatched.length === 0 && sameList(got, want);
      const detail = pass
        ? want.length
          ? `${want.length} head weights reported unexpected, as expected`
          : 'empty missing/unexpected report'
        : `${describeReport(report)}${want.length ? ` (expected exactly the ${want.length} head weights unexpected)` : ''}`;
      out.push({ id, kind: 'load-report', pass, maxAbs: 0, detail });
    } catch (e) {
      out.push(loadFailed(id, 'load-report', e));
    }
  }
  return out;
}

/** Half of one unit in the last place of float16 at |v|; below the smallest normal (2^-14) the spacing is 2^-24. */
function halfUlpF16(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -14) return 2 ** -25;
  return 2 ** (Math.floor(Math.log2(a)) - 11);
}

/**
 * What rounding a float32 value to `dtype` may cost at `v` (round to nearest: half a unit in the last
 * place). bf16 copies on the Hub are often converted from an f16 model (`model.half()` then
 * `.to(torch.bfloat16)`, as fixtures/hf/generate_checkpoints.py does), so their bound adds both roundings.
 */
export function roundingBound(dtype: string, v: number): number | undefined {
  if (dtype === 'float32' || dtype === 'float64') return 0;
  if (dtype === 'float16') return halfUlpF16(v);
  if (dtype === 'bfloat16') {
    const a = Math.abs(v);
    return (a === 0 ? 0 : 2 ** (Math.floor(Math.log2(a)) - 8)) + halfUlpF16(v);
  }
  return undefined;
}

/**
 * Worst |loaded - reference| over a tensor and whether every element lies within the rounding the
 * loaded tensor's dtype allows (bit for bit for f32). `worstExcess` is the element furthest beyond its bound.
 */
export function roundingDiff(
  loaded: Tensor,
  reference: Tensor,
): { maxAbs: number; pass: boolean; worstExcess?: { index: number; diff: number; allowed: number } } {
  if (roundingBound(loaded.dtype, 1) === undefined) return { maxAbs: Number.POSITIVE_INFINITY, pass: false };
  const a = toFloat32(loaded).data;
  const r = toFloat32(reference).data;
  if (a.length !== r.length) return { maxAbs: Number.POSITIVE_INFINITY, pass: false };
  let maxAbs = 0;
  let worstExcess: { index: number; diff: number; allowed: number } | undefined;
  for (let i = 0; i < r.length; i++) {
    const d = Math.abs(a[i]! - r[i]!);
    const tol = roundingBound(loaded.dtype, r[i]!)!;
    if (!(d <= tol) && (!worstExcess || !(d - tol <= worstExcess.diff - worstExcess.allowed)))
      worstExcess = { index: i, diff: d, allowed: tol };
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return { maxAbs, pass: worstExcess === undefined, ...(worstExcess ? { worstExcess } : {}) };
}

async function loadFormat(f: CheckpointFixture['formats'][number]): Promise<Map<string, Tensor>> {
  if (f.kind === 'dir') return (await readCheckpointDir(f.path)).tensors;
  return parseWeightFile(basename(f.path), new Uint8Array(await readFile(f.path)));
}

/**
 * Every format under `<dir>/checkpoints/<config>/<head>/` against `models/<config>/<head>`: the same
 * tensor names (plus tied copies such as `predictions.decoder.weight`, which must equal their source)
 * and the same values, bit for bit in f32 and within rounding in f16 / bf16.
 */
export async function checkCheckpointFormats(dir?: string): Promise<CoreCheckResult[]> {
  const out: CoreCheckResult[] = [];
  for (const cp of listCheckpoints(dir)) {
    let ref: Awaited<ReturnType<typeof readCheckpointDir>>;
    try {
      ref = await readCheckpointDir(cp.reference);
    } catch (e) {
      out.push({
        id: `format ${cp.name}`,
        kind: 'format',
        pass: false,
        maxAbs: 0,
        detail: 'reference folder failed to load',
        error: (e as Error).message,
      });
      continue;
    }
    const arch = ref.config.architectures?.[0];
    const tied = arch && isHeadName(arch) ? tiedKeys(arch, ref.config) : {};
    for (const f of cp.formats) {
      const id = `format ${cp.name} ${f.format}`;
      try {
        const got = await loadFormat(f);
        let maxAbs = 0;
        let worst = '';
        const problems: string[] = [];
        let dtype = '';
        for (const [name, r] of ref.tensors) {
          const t = got.get(name);
          if (!t) {
            problems.push(`${name} missing`);
            continue;
          }
          dtype ||= t.dtype;
          const d = roundingDiff(t, r);
          const x = d.worstExcess;
          if (!d.pass) {
            problems.push(
              x
                ? `${name}: max |Δ| ${d.maxAbs.toExponential(2)} beyond ${t.dtype} rounding (element ${x.index}: |Δ| ${x.diff.toExponential(2)} > ${x.allowed.toExponential(2)})`
                : `${name}: ${t.dtype} ${shapeStr(t.shape)} cannot match the reference ${shapeStr(r.shape)}`,
            );
          }
          if (d.maxAbs > maxAbs || !worst) {
            maxAbs = d.maxAbs;
            worst = name;
          }
        }
        for (const [name, t] of got) {
          if (ref.tensors.has(name)) continue;
          const source = tied[name] ?? tied[`albert.${name}`];
          const src = source
            ? (ref.tensors.get(source) ?? ref.tensors.get(source.replace(/^albert\./, '')))
            : undefined;
          if (!src) problems.push(`${name} is not in the reference`);
          else if (!roundingDiff(t, src).pass)
            problems.push(`${name} differs from the tensor it is tied to (${source})`);
        }
        out.push({
          id,
          kind: 'format',
          pass: problems.length === 0,
          maxAbs,
          detail: problems.length
            ? problems.slice(0, 3).join('; ')
            : `${ref.tensors.size} tensors, ${dtype || '?'}, worst ${worst}`,
        });
      } catch (e) {
        out.push(loadFailed(id, 'format', e));
      }
    }
  }
  return out;
}
