// What `albert train` trains on: the tfjs backend (TensorFlow.js, dropout, gradient checkpointing) or the onnx
// backend (training graphs on onnxruntime, dropout masks from the seed, per-layer recompute). Both give core's AlbertTrainer, a model handle with
// the current weights for evaluation, and the same saved folders (HF model folder, resumable checkpoints).
import {
  type AlbertConfig,
  type AlbertModelHandle,
  type AlbertTrainer,
  bindWeights,
  type HeadName,
  type TrainerOptions,
  type WeightMap,
} from '@albertjs/core';
import { importRequired } from '../backends.js';
import { CliError, EXIT } from '../exit-codes.js';

type Tfjs = typeof import('@albertjs/tfjs');
type Onnx = typeof import('@albertjs/onnx');

export const TRAIN_BACKENDS = ['tfjs', 'onnx'] as const;
export type TrainBackendName = (typeof TRAIN_BACKENDS)[number];

export interface TrainingSetup {
  trainer: AlbertTrainer;
  describe(): Promise<string>;
  /** The model with the current weights (what evaluation runs). */
  evalModel(): Promise<AlbertModelHandle<HeadName>>;
  /** The HF model folder (model.safetensors + config.json). */
  saveModel(dir: string): Promise<void>;
  /** A resumable checkpoint (model + optimizer.safetensors + rng_state.json). */
  saveState(dir: string): Promise<void>;
  loadState(dir: string): Promise<void>;
  dispose(): void;
}

export interface SetupOptions {
  runtime?: string;
  gradientCheckpointing: boolean;
  /** Receives notes. */
  note: (msg: string) => void;
}

export async function trainingSetup(
  name: TrainBackendName,
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  options: TrainerOptions,
  o: SetupOptions,
): Promise<TrainingSetup> {
  if (name === 'tfjs') {
    const tfjs = await importRequired<Tfjs>('@albertjs/tfjs', 'albert train needs');
    const backend = await tfjs.createBackend({
      runtime: (o.runtime ?? 'auto') as never,
      gradientCheckpointing: o.gradientCheckpointing,
    });
    const model = (await backend.loadModel(head, config, weights)) as InstanceType<Tfjs['TfjsAlbertModel']>;
    const trainer = new tfjs.Trainer(model, options);
    return {
      trainer,
      describe: () => backend.describe(),
      evalModel: async () => model,
      saveModel: async (dir) => void (await tfjs.saveCheckpoint(model, dir)),
      saveState: async (dir) => void (await tfjs.saveTrainingState(trainer, dir)),
      loadState: async (dir) => void (await tfjs.loadTrainingState(trainer, dir)),
      dispose: () => {
        trainer.dispose();
        model.dispose();
      },
    };
  }
  if (o.runtime && o.runtime !== 'auto')
    throw new CliError(
      `--runtime ${o.runtime} is a tfjs runtime; the onnx backend runs on onnxruntime-node`,
      EXIT.USAGE,
    );
  const onnx = await importRequired<Onnx>('@albertjs/onnx', 'albert train --backend onnx needs');
  const backend = await onnx.createBackend({ gradientCheckpointing: o.gradientCheckpointing });
  const model = (await backend.loadModel(head, config, weights)) as InstanceType<Onnx['OnnxModelHandle']>;
  const trainer = new onnx.OnnxTrainer(model, options);
  let evalModel: AlbertModelHandle<HeadName> | undefined;
  let evalStep = -1;
  return {
    trainer,
    describe: async () => `${await backend.describe()}, training graphs on onnxruntime`,
    // forward() of a loaded model uses its load-time weights: evaluation loads the current ones
    evalModel: async () => {
      if (evalModel && evalStep === trainer.step) return evalModel;
      evalModel?.dispose();
      evalModel = await backend.loadModel(head, config, bindWeights(head, config, trainer.exportTensors()).weights);
      evalStep = trainer.step;
      return evalModel;
    },
    saveModel: async (dir) => void (await trainer.save(dir)),
    saveState: async (dir) => void (await onnx.saveTrainingState(trainer, dir)),
    loadState: async (dir) => void (await onnx.loadTrainingState(trainer, dir)),
    dispose: () => {
      trainer.dispose();
      evalModel?.dispose();
      model.dispose();
    },
  };
}
