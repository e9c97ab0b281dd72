// Progress bars (cli-progress) on stderr when it is a terminal; plain status lines otherwise are not printed.
import cliProgress from 'cli-progress';
import type { CliIO } from './io.js';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

/** A bar for `total` steps (cases, bytes …); a no-op when stderr is not interactive or `quiet`. */
export function createProgress(io: CliIO, opts: { quiet?: boolean; bytes?: boolean } = {}): Progress {
  if (!io.interactive || opts.quiet) return silent;
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
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
