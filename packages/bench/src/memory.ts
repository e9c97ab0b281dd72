// Peak resident memory of this process during a measured cell. On Linux the kernel's high-water mark
// (VmHWM in /proc/self/status, reset by writing 5 to /proc/self/clear_refs) is exact; elsewhere a worker
// thread samples process.memoryUsage.rss() every millisecond, which also sees synchronous kernels
// that block the main thread.
import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export type RssMethod = 'VmHWM' | 'sampled';

export interface RssPeak {
  /** RSS when the cell started. */
  baselineBytes: number;
  /** Highest RSS while the cell ran. */
  peakBytes: number;
  method: RssMethod;
}

/** VmHWM / VmRSS from /proc/self/status in bytes, or undefined off Linux. */
export function procStatusBytes(field: 'VmHWM' | 'VmRSS'): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return undefined;
  }
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads');
const peakKb = new Int32Array(workerData.shared);
setInterval(() => {
  const kb = Math.ceil(process.memoryUsage.rss() / 1024);
  let cur = Atomics.load(peakKb, 0);
  while (kb > cur) {
    const seen = Atomics.compareExchange(peakKb, 0, cur, kb);
    if (seen === cur) break;
    cur = seen;
  }
}, workerData.intervalMs);
`;

/** Measures the peak RSS of successive cells: `begin()` before a cell, `end()` after it. */
export class RssPeakMeter {
  private readonly peakKb: Int32Array;
  private worker: Worker | undefined;
  private baseline = 0;
  private hwm = false;

  /** `method: 'sampled'` forces the worker sampler even where VmHWM is available. */
  constructor(readonly options: { method?: 'auto' | 'sampled'; intervalMs?: number } = {}) {
    this.peakKb = new Int32Array(new SharedArrayBuffer(4));
  }

  /** Starts a cell (the first sampled cell waits for the sampler thread to be up). */
  async begin(): Promise<void> {
    this.hwm = this.options.method !== 'sampled' && resetHighWaterMark() && procStatusBytes('VmHWM') !== undefined;
    this.baseline = process.memoryUsage.rss();
    if (!this.hwm && !this.worker) {
      this.worker = new Worker(SAMPLER_SOURCE, {
        eval: true,
        workerData: { shared: this.peakKb.buffer, intervalMs: this.options.intervalMs ?? 1 },
      });
      this.worker.unref();
      const w = this.worker;
      await new Promise<void>((resolve, reject) => {
        w.once('online', () => resolve());
        w.once('error', reject);
      });
    }
    Atomics.store(this.peakKb, 0, Math.ceil(this.baseline / 1024));
  }

  end(): RssPeak {
    const now = process.memoryUsage.rss();
    if (this.hwm) {
      const hwm = procStatusBytes('VmHWM') ?? now;
      // The cell's first instant counts too: RSS may have shrunk between the reset and the baseline read.
      return { baselineBytes: this.baseline, peakBytes: Math.max(hwm, now, this.baseline), method: 'VmHWM' };
    }
    const sampled = Atomics.load(this.peakKb, 0) * 1024;
    return { baselineBytes: this.baseline, peakBytes: Math.max(sampled, now, this.baseline), method: 'sampled' };
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/** What a backend may expose about its own memory (tf.memory() for tfjs, GPU buffer bytes for WebGPU). */
export interface BackendMemoryInfo {
  /** Bytes the backend holds now (tensors / device buffers). */
  bytesInUse: number;
  /** High-water mark since the last resetPeakMemory(), when the backend tracks one. */
  peakBytes?: number;
  /** What the figure is, e.g. 'tf.memory().numBytes' or 'GPUBuffer bytes'. */
  source: string;
}

/**
 * The optional memory hooks bench looks for on a `Backend` (duck-typed: core's interface does not
 * declare them yet): `memory()` and `resetPeakMemory()`.
 */
export interface MemoryReportingBackend {
  memory(): BackendMemoryInfo | Promise<BackendMemoryInfo>;
  resetPeakMemory?(): void | Promise<void>;
}

export function reportsMemory(b: unknown): b is MemoryReportingBackend {
  return typeof b === 'object' && b !== null && typeof (b as { memory?: unknown }).memory === 'function';
}
