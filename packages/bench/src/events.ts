// What a benchmark run reports as it goes, in process or from an isolated child process (one JSON
// line each on stdout, behind EVENT_PREFIX so that whatever a runtime prints itself is told apart).
import type { BenchMode } from './grids.js';
import type { RssMethod } from './memory.js';
import type { BackendStatus, CellResult, ComparisonInfo } from './result.js';

export type BenchEvent =
  | { kind: 'log'; line: string }
  | { kind: 'backend'; status: BackendStatus }
  | { kind: 'skipMode'; backend: string; mode: BenchMode; reason: string }
  | { kind: 'cell'; cell: CellResult }
  | { kind: 'comparison'; info: ComparisonInfo }
  | { kind: 'rss'; method: RssMethod }
  /** A backend's (isolated) process ended early; `mode` when that process ran one mode only. */
  | { kind: 'failure'; backend: string; reason: string; mode?: BenchMode };

export const EVENT_PREFIX = '@@albertjs-bench@@ ';

/** Collects events into the parts of a BenchResult. */
export class EventCollector {
  readonly statuses: BackendStatus[] = [];
  readonly cells: CellResult[] = [];
  comparison: ComparisonInfo | undefined;
  rssMethod: RssMethod | undefined;

  constructor(
    private readonly log: (line: string) => void,
    private readonly onEvent?: (e: BenchEvent) => void,
  ) {}

  readonly emit = (e: BenchEvent): void => {
    this.collect(e);
    this.onEvent?.(e);
  };

  private collect(e: BenchEvent): void {
    switch (e.kind) {
      case 'log':
        this.log(e.line);
        return;
      case 'backend': {
        // One status per backend, though each mode's process reports it.
        const s = this.status(e.status.name);
        if (!s) this.statuses.push({ ...e.status });
        else if (e.status.ran && !s.ran) {
          // another mode's process ran it: why the earlier one did not becomes a failure of that mode
          const earlier = s.reason;
          Object.assign(s, e.status);
          delete s.reason;
          if (earlier) s.failure = s.failure ? `${s.failure}; ${earlier}` : earlier;
        }
        return;
      }
      case 'skipMode': {
        const s = this.statuses.find((x) => x.name === e.backend);
        if (s) s.skippedModes = { ...s.skippedModes, [e.mode]: e.reason };
        return;
      }
      case 'cell':
        this.cells.push(e.cell);
        return;
      case 'comparison':
        if (!this.comparison || (this.comparison.error && !e.info.error)) this.comparison = e.info;
        return;
      case 'rss':
        this.rssMethod ??= e.method;
        return;
      case 'failure': {
        const s = this.status(e.backend);
        if (s?.ran) s.failure = s.failure ? `${s.failure}; ${e.reason}` : e.reason;
        else if (s) s.reason = s.reason ? `${s.reason}; ${e.reason}` : e.reason;
        else this.statuses.push({ name: e.backend, ran: false, reason: e.reason });
        return;
      }
    }
  }

  status(name: string): BackendStatus | undefined {
    return this.statuses.find((s) => s.name === name);
  }
}
