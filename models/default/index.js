// @albertjs/default-model: where this package's model folder is. In Node, `defaultModelDir` is its path; in a
// browser bundle, serve the folder's files (or import them with your bundler's asset URLs) and pass that URL.

/** URL of this folder (config.json, model.safetensors, spiece.model, tokenizer.json, tokenizer_config.json). */
export const defaultModelUrl = new URL('./', import.meta.url);

/** The files of the model folder. */
export const defaultModelFiles = Object.freeze([
  'config.json',
  'model.safetensors',
  'spiece.model',
  'tokenizer.json',
  'tokenizer_config.json',
]);

/** Absolute path of this folder (Node); undefined where import.meta.url is not a file: URL (browser bundles). */
export const defaultModelDir =
  defaultModelUrl.protocol === 'file:' && globalThis.process?.getBuiltinModule
    ? globalThis.process.getBuiltinModule('node:url').fileURLToPath(defaultModelUrl)
    : undefined;
