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
