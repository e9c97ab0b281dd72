/**
 * Errors thrown by @albertjs/tokenizer for tokenizer files and calls (Hub errors are core's HubError, from the
 * download). Their names match core's (`InputError`, `CheckpointError`, `ConfigError`) so callers can treat both alike.
 */
export class TokenizerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A tokenizer file (spiece.model, tokenizer.json, vocab.txt, tokenizer_config.json) is malformed or unsupported. */
export class TokenizerFileError extends TokenizerError {}

/** Arguments of a tokenizer call are invalid (unknown id, impossible truncation, bad option). */
export class TokenizerInputError extends TokenizerError {}

/**
 * A value from a tokenizer file for an error message: its JSON, at most `max` characters. A value nested too deeply
 * for JSON.stringify (a hostile file) is described instead of overflowing the stack.
 */
export function show(v: unknown, max = 80): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = Array.isArray(v) ? '[…] (nested too deeply to print)' : '{…} (nested too deeply to print)';
  }
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

/** Deepest Sequence-in-Sequence nesting accepted in tokenizer.json (real files nest one or two levels). */
export const MAX_TOKENIZER_NESTING = 32;

/** Runs `make`, prefixing a TokenizerFileError's message with where the files came from. */
export function withSource<T>(where: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof TokenizerFileError && !e.message.startsWith(where))
      throw new TokenizerFileError(`${where}: ${e.message}`, { cause: e });
    throw e;
  }
}
