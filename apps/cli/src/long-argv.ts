// A long command line crashes onnxruntime-node 1.30: the first InferenceSession reads /proc/self/cmdline and
// matches it with a recursive std::regex (libstdc++, a few stack frames per byte), so ~28 KB of arguments
// overflow the 8 MB main-thread stack (SIGSEGV under InferenceSessionWrap::InitOrtOnce, exit 139). Only the
// length of the whole command line matters (one long argument or many short ones alike); the environment does
// not. When the command line is long, `albert` starts itself again with a short one and hands the real
// arguments over a pipe (fd 3), before any backend is loaded.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

/** Command lines up to this many bytes run in-process; longer ones are handed to a child over a pipe. */
export const MAX_INLINE_ARGV_BYTES = 4096;
/** Set in the child: the fd its arguments arrive on. */
export const ARGV_FD_ENV = 'ALBERT_ARGV_FD';

/** Bytes of this process's command line: /proc/self/cmdline on Linux, the arguments' UTF-8 sizes elsewhere. */
export function commandLineBytes(): number {
  if (process.platform === 'linux') {
    try {
      return readFileSync('/proc/self/cmdline').byteLength;
    } catch {
      // fall through: no procfs
    }
  }
  return [process.execPath, ...process.execArgv, ...process.argv.slice(1)].reduce(
    (n, a) => n + Buffer.byteLength(a) + 1,
    0,
  );
}

/** In the child started by `relaunch`: the arguments read from the pipe (and the variable cleared); else undefined. */
export function argvFromPipe(): string[] | undefined {
  const fd = process.env[ARGV_FD_ENV];
  if (fd === undefined) return undefined;
  delete process.env[ARGV_FD_ENV];
  const argv = JSON.parse(readFileSync(Number(fd), 'utf8')) as unknown;
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string'))
    throw new Error(`${ARGV_FD_ENV}: expected a JSON array of strings on fd ${fd}`);
  return argv as string[];
}

/**
 * Runs this script again as `node [execArgv] <script>` with `argv` written to the child's fd 3; stdin, stdout and
 * stderr are shared. Resolves to the child's exit code (128 + signal number when a signal ended it). SIGINT reaches
 * the child from the terminal's process group; SIGTERM and SIGHUP sent to this process are passed on.
 */
export function relaunch(argv: readonly string[]): Promise<number> {
  const script = process.argv[1]!;
  const child = spawn(process.execPath, [...process.execArgv, script], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, [ARGV_FD_ENV]: '3' },
  });
  const pipe = child.stdio[3] as NodeJS.WritableStream;
  pipe.on('error', () => {}); // a child that exits before reading: its exit code says why
  pipe.end(JSON.stringify(argv));
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGINT', () => {}],
    ['SIGTERM', forward('SIGTERM')],
    ['SIGHUP', forward('SIGHUP')],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`error: cannot start node again to pass a long command line: ${e.message}\n`);
      resolve(70);
    });
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      const signo = signal ? ((constants.signals as Record<string, number>)[signal] ?? 0) : 0;
      resolve(code ?? 128 + signo);
    });
  });
}
