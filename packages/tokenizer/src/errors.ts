/**
 * Errors thrown by @albertjs/tokenizer. The package stands alone (no dependency on @albertjs/core), so it has its
 * own classes; their names match core's (`InputError`, `CheckpointError`, `ConfigError`) so callers can treat both alike.
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
