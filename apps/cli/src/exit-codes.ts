// Exit codes of the `albert` command (documented in apps/cli/README.md and `albert --help`).
import { AlbertError, BackendError, CheckpointError, ConfigError, HubError, InputError } from '@albertjs/core';

export const EXIT = {
  /** Everything ran and every check passed. */
  OK: 0,
  /** The command ran but a check failed (a parity case over tolerance, a backend pair that disagrees). */
  CHECK_FAILED: 1,
  /** Bad command line: unknown command or option, missing argument, invalid option value (a --dtype the backend cannot run). */
  USAGE: 2,
  /** Bad input data: text, config.json, checkpoint or fixtures folder that cannot be used. */
  BAD_INPUT: 3,
  /** The requested backend is not installed or cannot run on this machine. */
  BACKEND_UNAVAILABLE: 4,
  /** Hub / network error (not found, unauthorized, download failed, offline without a cached copy). */
  HUB: 5,
  /**
   * A package the command needs is not installed: the optional peer dependency @albertjs/bench (`albert bench`),
   * @albertjs/parity-tests (`albert parity`, only in a clone of the repository), or a dependency missing from a
   * broken install.
   */
  MISSING_PACKAGE: 6,
  /** A bug: an error albertjs did not expect. */
  INTERNAL: 70,
  /** Ctrl-C (SIGINT) stopped `albert train` after it saved a resumable checkpoint (128 + SIGINT). */
  INTERRUPTED: 130,
} as const;

/** One line per exit code, for `--help` (apps/cli/README.md has the same table). */
export const EXIT_MEANINGS: Readonly<Record<(typeof EXIT)[keyof typeof EXIT], string>> = {
  0: 'success (every check passed)',
  1: 'a check failed (parity case over tolerance, backends disagree)',
  2: 'usage error (unknown command or option, missing or invalid argument, a --dtype the backend cannot run)',
  3: 'bad input (text, config.json, checkpoint or fixtures folder)',
  4: 'backend not installed or unavailable on this machine',
  5: 'Hub / network error',
  6: 'a package the command needs is not installed (albert bench: @albertjs/bench; albert parity: a clone of the repository)',
  70: 'internal error (a bug; ALBERT_DEBUG=1 prints the stack trace)',
  130: 'interrupted (Ctrl-C): albert train saved a resumable checkpoint first',
};

/** The exit-code section every command's --help ends with. */
export const EXIT_HELP = `\nExit codes:\n${Object.entries(EXIT_MEANINGS)
  .map(([code, meaning]) => `  ${code.padEnd(3)} ${meaning}`)
  .join('\n')}`;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI raises itself, carrying the exit code it should end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code an error maps to. */
export function exitCodeOf(e: unknown): ExitCode {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof HubError) return EXIT.HUB;
  if (e instanceof BackendError) return EXIT.BACKEND_UNAVAILABLE;
  if (e instanceof ConfigError || e instanceof CheckpointError || e instanceof InputError) return EXIT.BAD_INPUT;
  if (e instanceof AlbertError) return EXIT.BAD_INPUT;
  // Errors thrown by name across package copies (dist vs src) still carry the class name.
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'HubError') return EXIT.HUB;
  if (name === 'BackendError') return EXIT.BACKEND_UNAVAILABLE;
  if (typeof name === 'string' && /^(Config|Checkpoint|Input|Tokenizer(File|Input)?|Albert)Error$/.test(name))
    return EXIT.BAD_INPUT;
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EACCES') return EXIT.BAD_INPUT;
  return EXIT.INTERNAL;
}

/** One line for the user: `error: <message>` (class name for unexpected errors), never a stack trace. */
export function formatError(e: unknown): string {
  const code = exitCodeOf(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (code === EXIT.INTERNAL) {
    const name = e instanceof Error ? e.name : typeof e;
    return `internal error (${name}): ${msg}\nThis is a bug in albertjs; set ALBERT_DEBUG=1 to see the stack trace.`;
  }
  return `error: ${msg}`;
}
