// Runs backends in this process: loads the model per mode and attention implementation through
// `Backend.loadModel`, then times every grid cell; with a comparison ONNX file, transformers.js is timed
// right after each inference cell on the same batch.
import { type AlbertModelHandle, type AttnImplementation, randomWeightMap, type WeightMap } from '@albertjs/core';
import { type BackendName, openBackend } from './backends.js';
import { packageVersion } from './environment.js';
import { errorText } from './errors.js';
import type { BenchEvent } from './events.js';
import type { BenchMode } from './grids.js';
import { makeBatch } from './inputs.js';
import { type Measurement, measure } from './measure.js';
import { RssPeakMeter } from './memory.js';
import { LOAD_DTYPE } from './options.js';
import { type BenchPlan, measureSettings } from './plan.js';
import type { CellResult } from './result.js';
import { loadTransformersJs, type TransformersJsModel } from './transformersjs.js';

export function cellFrom(base: Omit<CellResult, 'iterations'>, m: Measurement): CellResult {
  const cell: CellResult = { ...base, iterations: m.iterations };
  if (m.error !== undefined) return { ...cell, error: m.error };
  if (m.msPerBatch) {
    cell.msPerBatch = m.msPerBatch;
    cell.perTokenMs = m.msPerBatch.median / base.seq;
    cell.tokensPerSecond = (base.batch * base.seq) / (m.msPerBatch.median / 1000);
  }
  if (m.memory) cell.memory = m.memory;
  return cell;
}

/**
 * Seeded random weights per mode, initialised as transformers' _init_weights (core's randomWeightMap);
 * one draw when both modes time the same head.
 */
export function weightsFor(plan: BenchPlan): Map<BenchMode, WeightMap> {
  const out = new Map<BenchMode, WeightMap>();
  for (const mode of plan.modes) {
    const same = plan.modes.find((m) => m !== mode && plan.heads[m] === plan.heads[mode] && out.has(m));
    out.set(mode, same ? out.get(same)! : randomWeightMap(plan.heads[mode], plan.config, { seed: plan.seed }).weights);
  }
  return out;
}

export async function runInProcess(
  plan: BenchPlan,
  names: readonly BackendName[],
  backendOptions: Partial<Record<BackendName, unknown>> | undefined,
  emit: (e: BenchEvent) => void,
): Promise<void> {
  const log = (line: string) => emit({ kind: 'log', line });
  const weights = weightsFor(plan);
  const meter = new RssPeakMeter();
  let tjs: TransformersJsModel | undefined;
  let tjsFailed = false;
  const timed = async (run: () => Promise<unknown>, mode: BenchMode, backend?: unknown): Promise<Measurement> => {
    const m = await measure(run, measureSettings(plan, mode), meter, backend);
    if (m.rssMethod) emit({ kind: 'rss', method: m.rssMethod });
    return m;
  };
  const comparator = async (): Promise<TransformersJsModel | undefined> => {
    if (tjs || tjsFailed || plan.compareOnnx === undefined) return tjs;
    const version = packageVersion('@huggingface/transformers');
    try {
      tjs = await loadTransformersJs(plan.compareOnnx, plan.config, version, plan.compareThreads);
      emit({
        kind: 'comparison',
        info: { onnx: tjs.onnx, configSource: tjs.configSource, description: tjs.description },
      });
    } catch (e) {
      tjsFailed = true;
      emit({
        kind: 'comparison',
        info: {
          onnx: plan.compareOnnx,
          configSource: '',
          description: `transformers.js ${version ?? ''}`.trim(),
          error: errorText(e),
        },
      });
      log(`transformers.js: ${errorText(e)}`);
    }
    return tjs;
  };
  try {
    for (const name of names) {
      const opened = await openBackend(name, backendOptions?.[name]);
      if (!opened.ok) {
        log(`${name}: skipped: ${opened.reason}`);
        emit({ kind: 'backend', status: { name, ran: false, reason: opened.reason } });
        continue;
      }
      const { backend } = opened;
      log(`${name}: ${opened.description}`);
      emit({ kind: 'backend', status: { name, ran: true, description: opened.description } });
      for (const mode of plan.modes) {
        const g = plan.grid[mode];
        const handles = new Map<AttnImplementation, AlbertModelHandle>();
        const loadErrors = new Map<AttnImplementation, string>();
        for (const a of plan.attn) {
          try {
            handles.set(
              a,
              await backend.loadModel(plan.heads[mode], plan.config, weights.get(mode)!, {
                attnImplementation: a,
                dtype: LOAD_DTYPE[plan.dtype],
              }),
            );
          } catch (e) {
            loadErrors.set(a, `loadModel failed: ${errorText(e)}`);
          }
        }
        if (mode === 'train' && [...handles.values()].every((h) => typeof h.gradients !== 'function')) {
          const why = handles.size > 0 ? `${name} implements no gradients()` : [...loadErrors.values()].join('; ');
          emit({ kind: 'skipMode', backend: name, mode, reason: why });
          log(`${name} train: skipped: ${why}`);
          for (const h of handles.values()) h.dispose();
          continue;
        }
        for (const batch of g.batch) {
          for (const seq of g.seq) {
            const b = makeBatch(plan.heads[mode], plan.config, batch, seq, plan.seed, mode === 'train');
            for (const a of plan.attn) {
              const base = { backend: name, mode, attn: a, batch, seq, warmup: g.warmup } as const;
              const h = handles.get(a);
              if (!h) {
                emit({ kind: 'cell', cell: { ...base, iterations: 0, error: loadErrors.get(a) ?? 'not loaded' } });
                continue;
              }
              const run =
                mode === 'train'
                  ? () => h.gradients!(b.inputs, b.cotangents)
                  : () => h.forward(b.inputs, { attnImplementation: a });
              const cell = cellFrom(base, await timed(run, mode, backend));
              emit({ kind: 'cell', cell });
              log(
                `${name} ${mode} ${a} ${batch}×${seq}: ${cell.error ?? `${cell.msPerBatch!.median.toFixed(2)} ms/batch (${cell.iterations} runs)`}`,
              );
            }
            const t = mode === 'infer' ? await comparator() : undefined;
            if (t) {
              const cell = cellFrom(
                {
                  backend: 'transformers.js',
                  mode,
                  attn: 'as exported',
                  batch,
                  seq,
                  warmup: g.warmup,
                  pairedWith: name,
                },
                await timed(() => t.forward(b.inputs), mode),
              );
              emit({ kind: 'cell', cell });
              log(
                `transformers.js (beside ${name}) ${batch}×${seq}: ${cell.error ?? `${cell.msPerBatch!.median.toFixed(2)} ms/batch`}`,
              );
            }
          }
        }
        for (const h of handles.values()) h.dispose();
      }
      await backend.dispose?.();
    }
  } finally {
    await tjs?.dispose();
    await meter.dispose();
  }
}
