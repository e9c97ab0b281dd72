/** Every error albertjs throws on purpose is an AlbertError: the message names the problem and the value. */
export class AlbertError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A config.json field is missing, has the wrong JSON type, or an invalid value. */
export class ConfigError extends AlbertError {}

/** A checkpoint file is malformed, truncated, hostile or has unexpected shapes. */
export class CheckpointError extends AlbertError {}

/** The inputs given to a model are invalid (shape, dtype, range). */
export class InputError extends AlbertError {}

/** A Hub / HTTP resolution or download failed. */
export class HubError extends AlbertError {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A backend cannot run here (no adapter, runtime missing, device lost). */
export class BackendError extends AlbertError {}
