// Where task commands get their text: the command line, stdin (`-`) or a file (`--file`: one text per line, or
// JSON Lines with `--field`). Long texts belong on stdin or in a file; long command lines are safe too (long-argv.ts).
import { readFile } from 'node:fs/promises';
import { Option } from 'commander';
import { CliError, EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';

export interface TextSourceFlags {
  file?: string;
  field?: string;
}

/** `--file` and `--field`, for commands that run on one or more texts. */
export function textSourceOptions(): Option[] {
  return [
    new Option(
      '--file <path>',
      'read the texts from a file, one per line (empty lines skipped); JSON Lines with --field ("-": stdin)',
    ),
    new Option('--field <name>', 'with --file: each line is a JSON object and the text is this field (JSON Lines)'),
  ];
}

/** Reads stdin once for every `-` of one command (a second `-` would get nothing). */
export function stdinReader(io: CliIO): () => Promise<string> {
  let done = false;
  return async () => {
    if (done) throw new CliError('"-" (stdin) can be given only once per command', EXIT.USAGE);
    done = true;
    if (!io.readStdin) throw new CliError('"-" reads stdin, which this caller does not provide', EXIT.USAGE);
    return io.readStdin();
  };
}

/** A positional text: `-` is the whole of stdin (one text; a single trailing newline is dropped). */
export async function textArg(value: string, stdin: () => Promise<string>): Promise<string> {
  if (value !== '-') return value;
  return (await stdin()).replace(/\r?\n$/, '');
}

const MAX_FIELD_LINES_SHOWN = 60;

/** Texts of `--file` (or stdin for `--file -`): one per non-empty line, or the `field` of each JSON Lines object. */
export async function textsFromFile(flags: TextSourceFlags, stdin: () => Promise<string>): Promise<string[]> {
  const path = flags.file!;
  let content: string;
  if (path === '-') content = await stdin();
  else {
    try {
      content = await readFile(path, 'utf8');
    } catch (e) {
      throw new CliError(`--file ${path}: ${(e as Error).message}`, EXIT.BAD_INPUT);
    }
  }
  const texts: string[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    if (flags.field === undefined) {
      texts.push(line);
      continue;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new CliError(`--file ${path} line ${i + 1} is not JSON: ${(e as Error).message}`, EXIT.BAD_INPUT);
    }
    const v = (obj as Record<string, unknown> | null)?.[flags.field];
    if (typeof v !== 'string') {
      const shown = line.length > MAX_FIELD_LINES_SHOWN ? `${line.slice(0, MAX_FIELD_LINES_SHOWN)}…` : line;
      throw new CliError(
        `--file ${path} line ${i + 1}: field ${JSON.stringify(flags.field)} is ${v === undefined ? 'missing' : `not a string (${typeof v})`} in ${shown}`,
        EXIT.BAD_INPUT,
      );
    }
    texts.push(v);
  }
  if (!texts.length) throw new CliError(`--file ${path} holds no text`, EXIT.BAD_INPUT);
  return texts;
}

/**
 * The texts of a command that runs on one or more: the positional ones (`-` = stdin) then those of `--file`.
 * `--field` without `--file` and no text at all are usage errors.
 */
export async function collectTexts(
  positional: readonly string[],
  flags: TextSourceFlags,
  io: CliIO,
): Promise<string[]> {
  if (flags.field !== undefined && flags.file === undefined)
    throw new CliError('--field needs --file (the JSON Lines file to read)', EXIT.USAGE);
  const stdin = stdinReader(io);
  const texts: string[] = [];
  for (const a of positional) texts.push(await textArg(a, stdin));
  if (flags.file !== undefined) texts.push(...(await textsFromFile(flags, stdin)));
  if (!texts.length) throw new CliError('no text given: pass it as an argument, "-" for stdin, or --file', EXIT.USAGE);
  return texts;
}
