// Loading a model for a task on the backend the caller passes in (pipelines import no backend):
// core's loadPretrained reads a folder in any checkpoint format (or a Hub repo id) and binds it to the head.
import {
  type AlbertConfig,
  type AlbertModelHandle,
  type Backend,
  type HeadName,
  type HubOptions,
  type LoadModelOptions,
  loadPretrained,
  type PretrainedOptions,
} from '@albertjs/core';

/** from_pretrained options a pipeline passes through to core's loadPretrained. */
export type PretrainedLoadOptions = Pick<
  PretrainedOptions,
  'config' | 'ignoreMismatchedSizes' | 'initializeMissing' | 'seed' | 'onWarning'
>;

export interface LoadedModel<H extends HeadName> {
  model: AlbertModelHandle<H>;
  config: AlbertConfig;
}

/** Reads `idOrPath` (config.json + weights), binds the weights to `head` and loads them on `backend`. */
export async function loadModelForHead<H extends HeadName>(
  idOrPath: string,
  head: H,
  backend: Backend,
  options: LoadModelOptions = {},
  pretrained: PretrainedLoadOptions & HubOptions = {},
): Promise<LoadedModel<H>> {
  const { config, weights } = await loadPretrained(idOrPath, head, pretrained);
  const model = await backend.loadModel(head, config, weights, options);
  return { model, config };
}
