// Loading a model folder for a task on the backend the caller passes in (pipelines import no backend).
import {
  type AlbertConfig,
  type AlbertModelHandle,
  type Backend,
  bindWeights,
  type HeadName,
  type LoadModelOptions,
  readCheckpointDir,
} from '@albertjs/core';

export interface LoadedModel<H extends HeadName> {
  model: AlbertModelHandle<H>;
  config: AlbertConfig;
}

/** Reads `dir` (config.json + weights), binds the weights to `head` and loads them on `backend`. */
export async function loadModelForHead<H extends HeadName>(
  dir: string,
  head: H,
  backend: Backend,
  options: LoadModelOptions = {},
): Promise<LoadedModel<H>> {
  const { config, tensors } = await readCheckpointDir(dir);
  const { weights } = bindWeights(head, config, tensors);
  const model = await backend.loadModel(head, config, weights, options);
  return { model, config };
}
