// `albert train <task>`: fine-tuning from the command line, as transformers' Trainer with run_glue.py / run_ner.py /
// run_qa.py / run_swag.py / run_mlm.py. Reads CSV / TSV / JSONL / SQuAD JSON or a Hub-layout dataset folder, trains
// on @albertjs/tfjs, evaluates, saves checkpoint-<step>/ folders that resume exactly (--resume), saves one on Ctrl-C,
// and writes an HF model folder (config.json with architectures / id2label / label2id, model.safetensors, tokenizer
// files, trainer_state.json) that every backend and pipeline loads.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/trainer.py

import { PROBLEM_TYPES, type ProblemType } from '@albertjs/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError, EXIT } from '../exit-codes.js';
import type { RunContext } from '../program.js';
import { TRAIN_BACKENDS, type TrainBackendName } from './train-backend.js';
import { TRAIN_TASKS, type TrainTask } from './train-features.js';
import { runTraining } from './train-run.js';

export interface TrainFlags {
  trainFile: string;
  evalFile?: string;
  model?: string;
  outputDir: string;
  epochs: number;
  maxSteps?: number;
  lr: number;
  batchSize: number;
  evalBatchSize?: number;
  gradientAccumulationSteps: number;
  warmupRatio: number;
  warmupSteps?: number;
  weightDecay: number;
  maxGradNorm: number;
  maxLength: number;
  docStride?: number;
  seed: number;
  evalSteps?: number;
  saveSteps?: number;
  loggingSteps: number;
  resume?: string | true;
  gradientCheckpointing?: boolean;
  ignoreMismatchedSizes?: boolean;
  runtime?: string;
  backend?: TrainBackendName;
  textColumn?: string;
  textPairColumn?: string;
  labelColumn?: string;
  tokensColumn?: string;
  questionColumn?: string;
  contextColumn?: string;
  answersColumn?: string;
  choiceColumns?: string;
  problemType?: ProblemType;
  classifierDropout?: number;
  overwriteOutputDir?: boolean;
  json?: boolean;
}

function num(flag: string, check: (n: number) => boolean, what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n))
      throw new InvalidArgumentError(`${flag} ${JSON.stringify(v)}: expected ${what}`);
    return n;
  };
}
const posInt = (f: string) => num(f, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
const nonNegInt = (f: string) => num(f, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
const posNum = (f: string) => num(f, (n) => n > 0, 'a positive number');
const ratio = (f: string) => num(f, (n) => n >= 0 && n < 1, 'a number in [0, 1)');

export function registerTrain(program: Command, ctx: RunContext): void {
  program
    .command('train')
    .description(
      'fine-tune a model on a labelled dataset (tfjs or onnx): text-classification, token-classification, question-answering, multiple-choice or mlm',
    )
    .argument('<task>', `one of ${TRAIN_TASKS.join(', ')}`)
    .requiredOption(
      '--train-file <path>',
      'training data: .csv, .tsv, .jsonl, .json (rows or SQuAD), or a dataset folder (Hub layout: train.*, validation.*)',
    )
    .option('--eval-file <path>', "evaluation data (default: the dataset folder's validation split, if any)")
    .option('-m, --model <folder|org/name>', 'model to start from (default: the embedded default model)')
    .requiredOption('-o, --output-dir <dir>', 'where checkpoints and the final model folder go')
    .option('--epochs <n>', 'training epochs', posNum('--epochs'), 3)
    .option(
      '--max-steps <n>',
      'optimizer steps in total (overrides --epochs; 0: only evaluate the model as loaded)',
      nonNegInt('--max-steps'),
    )
    .option('--lr <rate>', 'peak learning rate (AdamW)', posNum('--lr'), 5e-5)
    .option('--batch-size <n>', 'examples per micro-batch', posInt('--batch-size'), 8)
    .option(
      '--eval-batch-size <n>',
      'examples per evaluation batch (default: --batch-size)',
      posInt('--eval-batch-size'),
    )
    .option(
      '--gradient-accumulation-steps <n>',
      'micro-batches per optimizer step',
      posInt('--gradient-accumulation-steps'),
      1,
    )
    .option('--warmup-ratio <r>', 'share of the steps with linear warmup', ratio('--warmup-ratio'), 0)
    .option('--warmup-steps <n>', 'warmup steps (overrides --warmup-ratio)', nonNegInt('--warmup-steps'))
    .option(
      '--weight-decay <wd>',
      'AdamW decoupled weight decay (not on biases / LayerNorm)',
      num('--weight-decay', (n) => n >= 0, 'a number >= 0'),
      0,
    )
    .option(
      '--max-grad-norm <n>',
      'global gradient-norm clip (0: off)',
      num('--max-grad-norm', (n) => n >= 0, 'a number >= 0'),
      1,
    )
    .option(
      '--max-length <n>',
      "tokens per sequence (capped at the model's max_position_embeddings)",
      posInt('--max-length'),
      128,
    )
    .option(
      '--doc-stride <n>',
      'question-answering: token overlap of consecutive context windows',
      posInt('--doc-stride'),
    )
    .option('--seed <n>', 'seed of the new head, shuffling, dropout and MLM masks', nonNegInt('--seed'), 42)
    .option('--eval-steps <n>', 'evaluate every N optimizer steps (and always at the end)', posInt('--eval-steps'))
    .option('--save-steps <n>', 'save a resumable checkpoint-<step>/ every N optimizer steps', posInt('--save-steps'))
    .option('--logging-steps <n>', 'log the mean training loss every N optimizer steps', posInt('--logging-steps'), 10)
    .option(
      '--resume [checkpoint]',
      'resume from a checkpoint folder (no value: the latest checkpoint-* in --output-dir)',
    )
    .option(
      '--gradient-checkpointing',
      'recompute each layer in the backward pass (less memory, ~1 more forward of time)',
    )
    .option('--ignore-mismatched-sizes', 're-initialise head weights whose shape differs (another label count)')
    .option('--overwrite-output-dir', 'train into a --output-dir that already holds a trained model')
    .addOption(
      new Option(
        '--backend <name>',
        'tfjs (TensorFlow.js) or onnx (training graphs on onnxruntime-node); both apply dropout and --gradient-checkpointing',
      )
        .choices(TRAIN_BACKENDS)
        .default('tfjs'),
    )
    .option('--runtime <name>', 'tfjs runtime: auto, node-gpu, node, wasm, cpu', 'auto')
    .option('--text-column <name>', 'text column (text-classification, mlm)')
    .option('--text-pair-column <name>', 'second text column of sentence pairs')
    .option('--label-column <name>', 'label column (a list of tags for token-classification)')
    .option('--tokens-column <name>', 'token-classification: column with the list of words')
    .option('--question-column <name>', 'question-answering: question column')
    .option('--context-column <name>', 'question-answering / multiple-choice: context column')
    .option('--answers-column <name>', 'question-answering: SQuAD answers column')
    .option('--choice-columns <a,b,…>', 'multiple-choice: the choice columns (default ending0…, or a "choices" list)')
    .addOption(
      new Option('--problem-type <type>', 'text-classification: default from the labels').choices(PROBLEM_TYPES),
    )
    .option('--classifier-dropout <p>', 'classifier_dropout_prob of the new head', ratio('--classifier-dropout'))
    .option('--json', 'print the final metrics as JSON')
    .action(async (task: string, flags: TrainFlags) => {
      if (!(TRAIN_TASKS as readonly string[]).includes(task))
        throw new CliError(
          `unknown training task ${JSON.stringify(task)}; one of ${TRAIN_TASKS.join(', ')}`,
          EXIT.USAGE,
        );
      await runTraining(ctx, task as TrainTask, flags);
    });
}
