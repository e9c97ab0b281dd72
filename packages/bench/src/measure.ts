// Times one grid cell: warm-up runs, then timed runs (each awaited to completion, outputs read back),
// with the process's peak RSS and, when the backend reports it, its own memory figure.

import { errorText } from './errors.js';
import { type RssMethod, type RssPeakMeter, reportsMemory } from './memory.js';
import type { CellMemory } from './result.js';
import { type Summary, summarize } from './stats.js';

export interface MeasureSettings {
  warmup: number;
  iterations: number;
  /** Stop once this many ms have been spent on timed runs, after `minIterations`. */
  maxMs?: number;
  minIterations: number;
}

export interface Measurement {
  iterations: number;
  times: number[];
  msPerBatch?: Summary;
  memory?: CellMemory;
  rssMethod?: RssMethod;
  error?: string;
}

/** Runs `run` warmup + up to `iterations` times; never throws (a failure is returned as `error`). */
export async function measure(
  run: () => Promise<unknown>,
  settings: MeasureSettings,
  meter: RssPeakMeter,
  backend?: unknown,
): Promise<Measurement> {
  const times: number[] = [];
  try {
    for (let i = 0; i < settings.warmup; i++) await run();
    (globalThis as { gc?: () => void }).gc?.();
    const mem = reportsMemory(backend) ? backend : undefined;
    await mem?.resetPeakMemory?.();
    let backendPeak: number | undefined;
    let backendSource: string | undefined;
    await meter.begin();
    const start = performance.now();
    for (let i = 0; i < settings.iterations; i++) {
      const t = performance.now();
      await run();
      const end = performance.now();
      times.push(end - t);
      if (mem) {
        const m = await mem.memory();
        backendPeak = Math.max(backendPeak ?? 0, m.peakBytes ?? m.bytesInUse);
        backendSource = m.peakBytes !== undefined ? `${m.source} (peak)` : `${m.source} (after each run)`;
      }
      if (settings.maxMs !== undefined && end - start >= settings.maxMs && times.length >= settings.minIterations)
        break;
    }
    const rss = meter.end();
    return {
      iterations: times.length,
      times,
      msPerBatch: summarize(times),
      rssMethod: rss.method,
      memory: {
        rssPeakBytes: rss.peakBytes,
        rssBaselineBytes: rss.baselineBytes,
        ...(backendPeak !== undefined ? { backendPeakBytes: backendPeak, backendSource: backendSource! } : {}),
      },
    };
  } catch (e) {
    return { iterations: times.length, times, error: errorText(e) };
  }
}
