// `albert bench` progress: one step per measured cell. The total is what runBench plans (the grid with its
// --batch/--seq overrides × attention implementations per backend and mode, plus one transformers.js cell per
// batch × seq beside each backend with --compare-onnx); the steps come from runBench's events (onEvent), one
// per cell, and a skipped or failed backend or mode counts its remaining cells as done.
import type { BenchEvent, BenchMode, BenchOptions } from '@albertjs/bench';
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

/** Advances `progress` on runBench's events: one step per cell; a skipped or failed backend or mode counts its remaining cells as done. */
export function benchProgress(count: BenchCellCount, progress: Progress): { onEvent(e: BenchEvent): void } {
  let done = 0;
  const step = (n: number, label: string) => {
    if (n <= 0) return;
    done = Math.min(count.total, done + n);
    progress.update(done, label);
  };
  /** Cells counted so far per backend and mode (transformers.js cells under the backend they ran beside). */
  const counted = new Map<string, number>();
  const add = (backend: string, mode: BenchMode, n: number) =>
    counted.set(`${backend} ${mode}`, (counted.get(`${backend} ${mode}`) ?? 0) + n);
  const rest = (backend: string, modes: readonly BenchMode[]) =>
    modes.reduce((n, m) => n + Math.max(0, (count.perMode[m] ?? 0) - (counted.get(`${backend} ${m}`) ?? 0)), 0);
  /** Counts the cells of `modes` not yet counted for `backend` as done. */
  const finish = (backend: string, modes: readonly BenchMode[], label: string) => {
    const n = rest(backend, modes);
    for (const m of modes) add(backend, m, rest(backend, [m]));
    step(n, label);
  };
  return {
    onEvent(e) {
      switch (e.kind) {
        case 'cell': {
          const c = e.cell;
          add(c.pairedWith ?? c.backend, c.mode, 1);
          step(
            1,
            c.pairedWith
              ? `bench transformers.js ${c.batch}×${c.seq}`
              : `bench ${c.backend} ${c.mode} ${c.attn} ${c.batch}×${c.seq}`,
          );
          return;
        }
        case 'skipMode':
          finish(e.backend, [e.mode], `bench ${e.backend} ${e.mode} skipped`);
          return;
        case 'backend':
          // A backend that did not start says so from each mode's process: the first report counts every mode.
          if (!e.status.ran) finish(e.status.name, count.modes, `bench ${e.status.name} skipped`);
          return;
        case 'failure':
          finish(e.backend, e.mode ? [e.mode] : count.modes, `bench ${e.backend} failed`);
          return;
        default:
          return;
      }
    },
  };
}
