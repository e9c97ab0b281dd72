// @albertjs/cli: the `albert` command, usable in-process (`main(argv, io)`) for tests and embedding.

export {
  BACKEND_NAMES,
  type BackendName,
  type BackendStatus,
  openBackend,
  openBackends,
  parseBackendList,
} from './backends.js';
export { describeModel, type ModelInfo } from './commands/info.js';
export { CliError, EXIT, EXIT_HELP, EXIT_MEANINGS, type ExitCode, exitCodeOf, formatError } from './exit-codes.js';
export { bufferIO, type CliIO, processIO } from './io.js';
export { createProgram, main, type RunContext, VERSION } from './program.js';
