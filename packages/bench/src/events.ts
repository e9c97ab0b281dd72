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
  | { kind: 'failure'; backend: string; reason: string };

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
      case 'backend':
        this.statuses.push({ ...e.status });
        return;
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
        if (s) s.failure = e.reason;
        else this.statuses.push({ name: e.backend, ran: false, reason: e.reason });
        return;
      }
    }
  }

  status(name: string): BackendStatus | undefined {
    return this.statuses.find((s) => s.name === name);
  }
}
