// Progress bars (cli-progress) on stderr when it is a terminal; nothing otherwise, unless the CliIO records
// progress itself (bufferIO does, for tests and embedding).
import cliProgress from 'cli-progress';
import type { CliIO } from './io.js';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  /** Prints a line above the bar (or just the line when no bar is drawn). */
  log(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  quiet?: boolean;
  /** Totals and values are bytes (downloads): shown in MB. */
  bytes?: boolean;
}

/** A bar for `total` steps (cases, cells, bytes …) drawn on stderr when it is a terminal. */
export function createProgress(io: CliIO, opts: ProgressOptions = {}): Progress {
  if (io.progress) return io.progress(opts);
  const plain: Progress = { start() {}, update() {}, log: (line) => io.err(line), stop() {} };
  if (!io.interactive || opts.quiet) return plain;
  const bar = new cliProgress.SingleBar(
    {
      format: opts.bytes ? '{label} [{bar}] {percentage}% {value_mb}/{total_mb} MB' : '{label} [{bar}] {value}/{total}',
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return {
    start(total, label) {
      bar.start(total, 0, { label, value_mb: mb(0), total_mb: mb(total) });
      running = true;
    },
    update(done, label) {
      if (!running) return;
      bar.update(done, { ...(label ? { label } : {}), value_mb: mb(done) });
    },
    log(line) {
      if (!running) {
        io.err(line);
        return;
      }
      process.stderr.write('\r\x1b[K'); // clear the bar's line, print, draw the bar again below
      io.err(line);
      bar.render();
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** A Progress that records what it is told as lines (`start 8 bench`, `update 3 onnx infer`, `stop`). */
export function recordingProgress(events: string[], io: Pick<CliIO, 'err'>): Progress {
  return {
    start: (total, label) => events.push(`start ${total} ${label}`),
    update: (done, label) => events.push(label ? `update ${done} ${label}` : `update ${done}`),
    log: (line) => io.err(line),
    stop: () => events.push('stop'),
  };
}
