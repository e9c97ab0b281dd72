/** URL of this folder (config.json, model.safetensors, spiece.model, tokenizer.json, tokenizer_config.json). */
export declare const defaultModelUrl: URL;
/** The files of the model folder. */
export declare const defaultModelFiles: readonly string[];
/** Absolute path of this folder (Node); undefined where import.meta.url is not a file: URL (browser bundles). */
export declare const defaultModelDir: string | undefined;
