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
  /** All of stdin as UTF-8 text (what `-` stands for in task commands); absent: `-` is a usage error. */
  readStdin?(): Promise<string>;
}

/** Reads a stream to its end as UTF-8 (Buffer chunks joined once, so a 1 MB text is not re-copied per chunk). */
export async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  get interactive() {
    return Boolean(process.stderr.isTTY);
  },
  readStdin: () => readAll(process.stdin),
};

/** An IO that records everything, progress included (for tests and for embedding the CLI). */
export function bufferIO(
  stdin?: string,
): CliIO & { stdout: string[]; stderr: string[]; progressEvents: string[]; text(): string } {
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
    ...(stdin !== undefined ? { readStdin: async () => stdin } : {}),
    text: () => [...stdout, ...stderr].join('\n'),
  };
  return io;
}
