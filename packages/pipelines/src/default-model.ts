// Where the embedded default model lives: the @albertjs/default-model package (models/default in the
// repository), a dependency of this package, so the CLI and the pipelines work offline with no model folder.
// ALBERTJS_DEFAULT_MODEL overrides it. Node only; the node: modules are fetched at call time so that browser
// bundles of this package still load.
import { CheckpointError } from '@albertjs/core';

/** Files a model folder must hold to be used by the pipelines. */
export const DEFAULT_MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

/** The package that holds the default model. */
export const DEFAULT_MODEL_PACKAGE = '@albertjs/default-model';

/**
 * Absolute path of the embedded default model: $ALBERTJS_DEFAULT_MODEL when it holds a complete model, else
 * the folder of the installed @albertjs/default-model package.
 */
export function defaultModelPath(): string {
  const proc = globalThis.process;
  if (!proc?.getBuiltinModule)
    throw new CheckpointError('defaultModelPath() needs Node.js (>= 20.16); in a browser, pass the model URL');
  const { existsSync } = proc.getBuiltinModule('node:fs');
  const { dirname, join, resolve } = proc.getBuiltinModule('node:path');
  const { createRequire } = proc.getBuiltinModule('node:module');
  const env = proc.env.ALBERTJS_DEFAULT_MODEL;
  const candidates = env ? [resolve(env)] : [];
  let packageProblem = '';
  try {
    candidates.push(dirname(createRequire(import.meta.url).resolve(`${DEFAULT_MODEL_PACKAGE}/package.json`)));
  } catch (e) {
    packageProblem = `; ${DEFAULT_MODEL_PACKAGE} is not installed (${(e as Error).message.split('\n')[0]})`;
  }
  for (const c of candidates) if (DEFAULT_MODEL_FILES.every((f) => existsSync(join(c, f)))) return c;
  throw new CheckpointError(
    `the embedded default model was not found (looked for ${DEFAULT_MODEL_FILES.join(', ')} in ${candidates.join(', ') || 'no folder'}${packageProblem})`,
  );
}
