// `albert bench` progress: one step per measured cell. The total is what runBench plans (the grid with its
// --batch/--seq overrides × attention implementations per backend and mode, plus one transformers.js cell per
// batch × seq beside each backend with --compare-onnx); the steps are read from runBench's log lines, one per
// cell, and a skipped backend or mode counts its cells as done.
import type { BenchMode, BenchOptions } from '@albertjs/bench';
import type { Progress } from './progress.js';

/** What the count needs from @albertjs/bench (loaded on demand by the bench command). */
export interface BenchGridLib {
  gridByName(name: string): { train: { batch: number[]; seq: number[] }; infer: { batch: number[]; seq: number[] } };
  parseBackendList(list: readonly string[]): string[];
}

export interface BenchCellCount {
  backends: string[];
  modes: BenchMode[];
  /** Cells per backend in each mode. */
  perMode: Partial<Record<BenchMode, number>>;
  total: number;
}

export function countBenchCells(lib: BenchGridLib, o: BenchOptions): BenchCellCount {
  const grid = typeof o.grid === 'object' ? o.grid : lib.gridByName(o.grid ?? 'seed');
  const modes: BenchMode[] = o.modes && o.modes.length > 0 ? [...new Set(o.modes)] : ['train', 'infer'];
  const attn = o.attn && o.attn.length > 0 ? new Set(o.attn).size : 2;
  const backends = lib.parseBackendList(o.backends ?? ['all']);
  const perMode: Partial<Record<BenchMode, number>> = {};
  for (const m of modes) {
    const shapes = (o.batch ?? grid[m].batch).length * (o.seq ?? grid[m].seq).length;
    perMode[m] = shapes * attn + (m === 'infer' && o.compareOnnx !== undefined ? shapes : 0);
  }
  const perBackend = modes.reduce((n, m) => n + perMode[m]!, 0);
  return { backends, modes, perMode, total: perBackend * backends.length };
}

const CELL = /^(\S+) (train|infer) (eager|sdpa) (\d+×\d+): /;
const COMPARISON_CELL = /^transformers\.js \(beside (\S+)\) (\d+×\d+): /;
const MODE_SKIPPED = /^(\S+) (train|infer): skipped: /;
const BACKEND_SKIPPED = /^(\S+): skipped: /;

/** Feeds runBench's log lines to `progress`; returns whether the line was a cell (shown by the bar instead). */
export function benchProgress(count: BenchCellCount, progress: Progress): { log(line: string): boolean } {
  let done = 0;
  const step = (n: number, label: string) => {
    done = Math.min(count.total, done + n);
    progress.update(done, label);
  };
  const perBackend = count.modes.reduce((n, m) => n + (count.perMode[m] ?? 0), 0);
  return {
    log(line) {
      let m = CELL.exec(line);
      if (m) {
        step(1, `bench ${m[1]} ${m[2]} ${m[3]} ${m[4]}`);
        return true;
      }
      m = COMPARISON_CELL.exec(line);
      if (m) {
        step(1, `bench transformers.js ${m[2]}`);
        return true;
      }
      m = MODE_SKIPPED.exec(line);
      if (m) {
        step(count.perMode[m[2] as BenchMode] ?? 0, `bench ${m[1]} ${m[2]} skipped`);
        return false;
      }
      m = BACKEND_SKIPPED.exec(line);
      if (m) step(perBackend, `bench ${m[1]} skipped`);
      return false;
    },
  };
}
