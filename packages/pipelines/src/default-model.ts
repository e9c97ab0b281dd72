// Where the embedded default model (models/default at the repository root) lives, so the CLI and the
// pipelines work offline with no model folder. ALBERTJS_DEFAULT_MODEL overrides it. Node only; the
// node: modules are fetched at call time so that browser bundles of this package still load.
import { CheckpointError } from '@albertjs/core';

/** Files a model folder must hold to be used by the pipelines. */
export const DEFAULT_MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

/**
 * Absolute path of the embedded default model: $ALBERTJS_DEFAULT_MODEL when set, else `models/default`
 * found by walking up from this module (src/ and dist/ sit three levels below the repository root).
 */
export function defaultModelPath(): string {
  const proc = globalThis.process;
  if (!proc?.getBuiltinModule)
    throw new CheckpointError('defaultModelPath() needs Node.js (>= 20.16); in a browser, pass the model URL');
  const { existsSync } = proc.getBuiltinModule('node:fs');
  const { dirname, join, resolve } = proc.getBuiltinModule('node:path');
  const { fileURLToPath } = proc.getBuiltinModule('node:url');
  const env = proc.env.ALBERTJS_DEFAULT_MODEL;
  const candidates = env ? [resolve(env)] : [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'models', 'default'));
    dir = dirname(dir);
  }
  for (const c of candidates) if (DEFAULT_MODEL_FILES.every((f) => existsSync(join(c, f)))) return c;
  throw new CheckpointError(
    `the embedded default model was not found (looked for ${DEFAULT_MODEL_FILES.join(', ')} in ${candidates.join(', ')})`,
  );
}
