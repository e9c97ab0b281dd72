// pipeline(task, model, { backend }) as in transformers / transformers.js: loads the model folder for the
// task's head on the backend passed in (default: the first installed one, default-backend.ts), the tokenizer from
// the same folder, and returns the task pipeline.
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/__init__.py (pipeline())
import {
  type AttnImplementation,
  type Backend,
  checkOptions,
  type DownloadProgress,
  type HeadName,
  HUB_OPTION_KEYS,
  type HubOptions,
  InputError,
  splitHubOptions,
} from '@albertjs/core';
import { defaultBackend } from './default-backend.js';
import { defaultModelPath } from './default-model.js';
import { loadModelForHead, type PretrainedLoadOptions } from './model.js';
import type { Callable, TaskContext, TaskPipeline } from './tasks/context.js';
import { FeatureExtractionPipeline } from './tasks/feature-extraction.js';
import { FillMaskPipeline } from './tasks/fill-mask.js';
import { MultipleChoicePipeline } from './tasks/multiple-choice.js';
import { QuestionAnsweringPipeline } from './tasks/question-answering.js';
import { SentenceOrderPipeline } from './tasks/sentence-order.js';
import { TextClassificationPipeline } from './tasks/text-classification.js';
import { TokenClassificationPipeline } from './tasks/token-classification.js';
import type { PipelineTokenizer } from './tokenizer.js';
import { loadTokenizer } from './tokenizer-adapter.js';

/** What pipeline(task) returns: the task's pipeline, callable (`pipe(x)` = `pipe.run(x)`). */
export interface TaskPipelines {
  'fill-mask': Callable<FillMaskPipeline>;
  'text-classification': Callable<TextClassificationPipeline>;
  'token-classification': Callable<TokenClassificationPipeline>;
  'question-answering': Callable<QuestionAnsweringPipeline>;
  'multiple-choice': Callable<MultipleChoicePipeline>;
  'feature-extraction': Callable<FeatureExtractionPipeline>;
  'sentence-order': Callable<SentenceOrderPipeline>;
}
export type Task = keyof TaskPipelines;

/** HF's task aliases. */
export const TASK_ALIASES = { 'sentiment-analysis': 'text-classification', ner: 'token-classification' } as const;
export type TaskOrAlias = Task | keyof typeof TASK_ALIASES;

const TASKS: { [T in Task]: { head: HeadName; make: (ctx: TaskContext<never>) => TaskPipeline<HeadName> } } = {
  'fill-mask': { head: 'AlbertForMaskedLM', make: (c) => new FillMaskPipeline(c) },
  'text-classification': { head: 'AlbertForSequenceClassification', make: (c) => new TextClassificationPipeline(c) },
  'token-classification': { head: 'AlbertForTokenClassification', make: (c) => new TokenClassificationPipeline(c) },
  'question-answering': { head: 'AlbertForQuestionAnswering', make: (c) => new QuestionAnsweringPipeline(c) },
  'multiple-choice': { head: 'AlbertForMultipleChoice', make: (c) => new MultipleChoicePipeline(c) },
  'feature-extraction': { head: 'AlbertModel', make: (c) => new FeatureExtractionPipeline(c) },
  'sentence-order': { head: 'AlbertForPreTraining', make: (c) => new SentenceOrderPipeline(c) },
};
export const TASK_NAMES = Object.keys(TASKS) as Task[];

/** The model class a task loads. */
export function headForTask(task: TaskOrAlias): HeadName {
  return TASKS[resolveTask(task)].head;
}

export function resolveTask(task: string): Task {
  const t = (TASK_ALIASES as Record<string, Task>)[task] ?? task;
  if (!(t in TASKS))
    throw new InputError(
      `unknown task ${JSON.stringify(task)}; known: ${[...TASK_NAMES, ...Object.keys(TASK_ALIASES)].join(', ')}`,
    );
  return t as Task;
}

export interface PipelineOptions extends PretrainedLoadOptions, HubOptions {
  /**
   * The backend that runs the model (`createBackend()` of @albertjs/onnx, @albertjs/tfjs or @albertjs/webgpu).
   * Default: the first of onnx, tfjs, webgpu that is installed and starts (`defaultBackend()`).
   */
  backend?: Backend;
  /** Backend precision ('float32' default). */
  dtype?: string;
  attnImplementation?: AttnImplementation;
  /** Default: the model folder's tokenizer.json (or spiece.model). */
  tokenizer?: PipelineTokenizer;
  /** Inputs per forward pass (default 8). */
  batchSize?: number;
  /** Cap on tokens per sequence (default and maximum: config.max_position_embeddings). */
  maxLength?: number;
  /** Download progress per file (transformers.js' `progress_callback`; same as `onProgress`). */
  progressCallback?: (p: DownloadProgress) => void;
  /** Only the cache, never the network (= localFilesOnly; also HF_HUB_OFFLINE=1). */
  offline?: boolean;
}

const PIPELINE_OPTIONS: Record<keyof PipelineOptions, true> = {
  backend: true,
  dtype: true,
  attnImplementation: true,
  tokenizer: true,
  batchSize: true,
  maxLength: true,
  config: true,
  ignoreMismatchedSizes: true,
  initializeMissing: true,
  seed: true,
  onWarning: true,
  ...(Object.fromEntries(HUB_OPTION_KEYS.map((k) => [k, true])) as Record<keyof HubOptions, true>),
  progressCallback: true,
  offline: true,
};

/**
 * Loads `model` (a model folder; a Hugging Face cache folder; a folder URL such as `https://…/` or, in a browser,
 * `/models/albert/`; a Hub repo id, with `revision`, `token`, `progressCallback`, `localFilesOnly` / `offline`,
 * `cacheDir`, `endpoint`; undefined = the embedded default model, Node only) and its tokenizer for `task` on
 * `options.backend` (default: the first of @albertjs/onnx, tfjs, webgpu that is installed and starts), and returns the task's pipeline, callable as in transformers.js:
 * `const fill = await pipeline('fill-mask', dir, { backend }); await fill('The capital of [MASK] is Paris.')`
 * (`fill.run(…)` is the same call). An unknown option is an InputError naming it (`top_k` → did you mean topK?).
 */
export async function pipeline<T extends TaskOrAlias>(
  task: T,
  model?: string,
  options: PipelineOptions = {},
): Promise<TaskPipelines[T extends keyof typeof TASK_ALIASES ? (typeof TASK_ALIASES)[T] : T]> {
  const t = resolveTask(task);
  checkOptions(`pipeline(${JSON.stringify(task)})`, options, PIPELINE_OPTIONS);
  if (options?.backend !== undefined && typeof options.backend?.loadModel !== 'function')
    throw new InputError(
      `pipeline(${JSON.stringify(task)}): options.backend must be a Backend (createBackend() of a backend package), got ${options.backend === null ? 'null' : typeof options.backend}`,
    );
  const backend = options?.backend ?? (await defaultBackend(`pipeline(${JSON.stringify(task)})`));
  const dir = model ?? defaultModelPath();
  const spec = TASKS[t];
  const [hub] = splitHubOptions(options);
  if (options.progressCallback) hub.onProgress ??= options.progressCallback;
  if (options.offline !== undefined) hub.localFilesOnly ??= options.offline;
  const tokenizer = options.tokenizer ?? (await loadTokenizer(dir, hub));
  const { model: handle, config } = await loadModelForHead(
    dir,
    spec.head,
    backend,
    {
      ...(options.dtype ? { dtype: options.dtype } : {}),
      ...(options.attnImplementation ? { attnImplementation: options.attnImplementation } : {}),
    },
    {
      ...hub,
      ...(options.config ? { config: options.config } : {}),
      ...(options.ignoreMismatchedSizes !== undefined ? { ignoreMismatchedSizes: options.ignoreMismatchedSizes } : {}),
      ...(options.initializeMissing !== undefined ? { initializeMissing: options.initializeMissing } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    },
  );
  const maxLength = Math.min(options.maxLength ?? config.max_position_embeddings, config.max_position_embeddings);
  const ctx: TaskContext<HeadName> = { model: handle, config, tokenizer, batchSize: options.batchSize ?? 8, maxLength };
  return spec.make(ctx as TaskContext<never>) as never;
}

export type AnyTaskPipeline = TaskPipeline<HeadName>;
