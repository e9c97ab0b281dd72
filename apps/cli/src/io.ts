// Where the CLI writes: process streams in bin.ts, buffers in tests.
import type { Progress, ProgressOptions } from './progress.js';
import { recordingProgress } from './progress.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
  /** Where progress goes instead of a terminal bar (embedding, tests); absent: a bar on an interactive stderr. */
  progress?(opts: ProgressOptions): Progress;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  get interactive() {
    return Boolean(process.stderr.isTTY);
  },
};

/** An IO that records everything, progress included (for tests and for embedding the CLI). */
export function bufferIO(): CliIO & { stdout: string[]; stderr: string[]; progressEvents: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const progressEvents: string[] = [];
  const io = {
    stdout,
    stderr,
    progressEvents,
    interactive: false,
    out: (t: string) => stdout.push(t),
    err: (t: string) => stderr.push(t),
    progress: () => recordingProgress(progressEvents, io),
    text: () => [...stdout, ...stderr].join('\n'),
  };
  return io;
}
