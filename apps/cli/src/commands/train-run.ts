// The `albert train` run: data → features → model (new head initialised as _init_weights) → Trainer loop (tfjs or onnx) with
// evaluation, logging, checkpoint-<step>/ saves, exact resume and a checkpoint on Ctrl-C → the final model folder.
// The data order is a permutation per epoch seeded by (seed, epoch), so a resumed run skips to the same batch.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/trainer.py (_inner_training_loop)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertConfig, type ConfigOverrides, type HeadName, loadPretrained, mulberry32 } from '@albertjs/core';
import { defaultModelPath, loadTokenizer } from '@albertjs/pipelines';
import { CliError, EXIT } from '../exit-codes.js';
import { resolveModelDir } from '../model.js';
import type { RunContext } from '../program.js';
import { createProgress } from '../progress.js';
import type { TrainFlags } from './train.js';
import { trainingSetup } from './train-backend.js';
import { type CollateOptions, collate, exampleSeed, mlmRandFor } from './train-collate.js';
import { hasSplit, type Row, readDataset } from './train-data.js';
import { evaluateModel, type Metrics } from './train-eval.js';
import { type ColumnOptions, type Feature, featurize, TASK_HEADS, type TrainTask } from './train-features.js';

/** Files of a model folder that are the tokenizer (copied into every saved folder). */
export const TOKENIZER_FILES = [
  'tokenizer.json',
  'spiece.model',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
];

interface LogEntry extends Record<string, number> {
  step: number;
  epoch: number;
}

/** HF TrainerState (trainer_state.json) plus what albertjs needs to resume. */
export interface TrainerStateJson {
  global_step: number;
  max_steps: number;
  num_train_epochs: number;
  epoch: number;
  logging_steps: number;
  eval_steps: number | null;
  save_steps: number | null;
  train_batch_size: number;
  seed: number;
  log_history: LogEntry[];
  albertjs: { task: TrainTask; labels?: string[]; problem_type?: string | null; steps_per_epoch: number };
}

function bad(msg: string): never {
  throw new CliError(msg, EXIT.BAD_INPUT);
}

/** The permutation of epoch `epoch` (Fisher–Yates, mulberry32 seeded by seed and epoch). */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  const rand = mulberry32(exampleSeed(seed, epoch, 0xffffffff));
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function latestCheckpoint(out: string): string {
  const ckpts = existsSync(out)
    ? readdirSync(out)
        .filter((d) => /^checkpoint-\d+$/.test(d))
        .sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)))
    : [];
  if (!ckpts.length) bad(`--resume: ${out} has no checkpoint-<step> folder to resume from`);
  return join(out, ckpts.at(-1)!);
}

function copyTokenizer(from: string, to: string): void {
  for (const f of TOKENIZER_FILES) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(to, f));
}

function fmt(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`)
    .join(' · ');
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

export async function runTraining(ctx: RunContext, task: TrainTask, flags: TrainFlags): Promise<void> {
  const io = ctx.io;
  const head: HeadName = TASK_HEADS[task];
  const out = flags.outputDir;
  const resumeDir = flags.resume ? (flags.resume === true ? latestCheckpoint(out) : flags.resume) : undefined;
  if (resumeDir && !existsSync(join(resumeDir, 'optimizer.safetensors')))
    bad(`--resume ${resumeDir}: not a resumable checkpoint (no optimizer.safetensors)`);
  if (!resumeDir && !flags.overwriteOutputDir && existsSync(join(out, 'model.safetensors')))
    bad(`--output-dir ${out} already holds a trained model; pass --overwrite-output-dir or --resume`);
  const modelDir = (await resolveModelDir(flags.model, io)) ?? defaultModelPath();
  const prior = resumeDir
    ? (JSON.parse(readFileSync(join(resumeDir, 'trainer_state.json'), 'utf8')) as TrainerStateJson)
    : undefined;
  if (prior && prior.albertjs.task !== task) bad(`--resume ${resumeDir} is a ${prior.albertjs.task} run, not ${task}`);

  // data → features
  const tokenizer = await loadTokenizer(resumeDir ?? modelDir);
  const baseConfig = AlbertConfig.fromJSON(readFileSync(join(resumeDir ?? modelDir, 'config.json'), 'utf8'));
  const columns: ColumnOptions = {
    ...flags,
    maxLength: Math.min(flags.maxLength, baseConfig.max_position_embeddings),
    ...(flags.docStride ? { docStride: flags.docStride } : {}),
  };
  const trainRows = readDataset(flags.trainFile, 'train');
  const evalSpec = flags.evalFile ?? (hasSplit(flags.trainFile, 'validation') ? flags.trainFile : undefined);
  const evalRows: Row[] | undefined = evalSpec ? readDataset(evalSpec, 'validation') : undefined;
  const known = Object.values(baseConfig.id2label);
  const train = featurize(task, trainRows, {
    tokenizer,
    options: columns,
    ...(prior?.albertjs.labels ? { labels: prior.albertjs.labels } : {}),
  });
  let { info } = train;
  // a model fine-tuned on the same labels keeps its ids (run_glue.py)
  if (!prior && info.labels && known.length === info.labels.length && info.labels.every((l) => known.includes(l))) {
    const again = featurize(task, trainRows, { tokenizer, options: columns, labels: known });
    train.features = again.features;
    info = again.info;
  }
  const evalData = evalRows
    ? featurize(task, evalRows, {
        tokenizer,
        options: { ...columns, ...(info.problemType ? { problemType: info.problemType } : {}) },
        ...(info.labels ? { labels: info.labels } : {}),
      })
    : undefined;

  // model
  const overrides: ConfigOverrides = {};
  if (info.labels) overrides.id2label = Object.fromEntries(info.labels.map((l, i) => [String(i), l]));
  if (info.problemType === 'regression') overrides.num_labels = 1;
  if (task === 'text-classification' && info.problemType) overrides.problem_type = info.problemType;
  if (flags.classifierDropout !== undefined) overrides.classifier_dropout_prob = flags.classifierDropout;
  const pre = await loadPretrained(resumeDir ?? modelDir, head, {
    ...(resumeDir ? {} : { config: overrides }),
    ...(flags.ignoreMismatchedSizes ? { ignoreMismatchedSizes: true } : {}),
    seed: flags.seed,
    onWarning: (w) => io.err(w),
  });
  const bs = flags.batchSize;
  const accum = flags.gradientAccumulationSteps;
  const N = train.features.length;
  const microPerEpoch = Math.ceil(N / bs);
  if (microPerEpoch < accum)
    bad(
      `${N} training features make ${microPerEpoch} batch(es) of ${bs}: fewer than --gradient-accumulation-steps ${accum}`,
    );
  const stepsPerEpoch = Math.floor(microPerEpoch / accum);
  const totalSteps = flags.maxSteps ?? Math.ceil(flags.epochs * stepsPerEpoch);
  const warmupSteps = Math.min(flags.warmupSteps ?? Math.ceil(flags.warmupRatio * totalSteps), Math.max(1, totalSteps));
  const setup = await trainingSetup(
    flags.backend ?? 'tfjs',
    head,
    pre.config,
    pre.weights,
    {
      learningRate: flags.lr,
      totalSteps: Math.max(1, totalSteps), // --max-steps 0 evaluates only: the schedule is never used
      warmupSteps,
      weightDecay: flags.weightDecay,
      maxGradNorm: flags.maxGradNorm,
      gradientAccumulationSteps: accum,
      seed: flags.seed,
    },
    {
      ...(flags.runtime !== undefined ? { runtime: flags.runtime } : {}),
      gradientCheckpointing: Boolean(flags.gradientCheckpointing),
      note: (m) => io.err(m),
    },
  );
  const trainer = setup.trainer;
  if (resumeDir) await setup.loadState(resumeDir);

  const special = new Set([tokenizer.clsTokenId, tokenizer.sepTokenId, tokenizer.padTokenId]);
  const collateFor = (epoch: number): CollateOptions => ({
    padId: tokenizer.padTokenId,
    problemType: info.problemType ?? null,
    ...(task === 'mlm'
      ? {
          mlm: {
            randFor: mlmRandFor(flags.seed, epoch),
            maskId: tokenizer.maskTokenId,
            vocabSize: pre.config.vocab_size,
            special,
          },
        }
      : {}),
  });
  const log: LogEntry[] = prior ? [...prior.log_history] : [];
  const state = (): TrainerStateJson => ({
    global_step: trainer.step,
    max_steps: totalSteps,
    num_train_epochs: flags.maxSteps !== undefined ? Math.ceil(totalSteps / stepsPerEpoch) : flags.epochs,
    epoch: trainer.step / stepsPerEpoch,
    logging_steps: flags.loggingSteps,
    eval_steps: flags.evalSteps ?? null,
    save_steps: flags.saveSteps ?? null,
    train_batch_size: bs,
    seed: flags.seed,
    log_history: log,
    albertjs: {
      task,
      ...(info.labels ? { labels: info.labels } : {}),
      problem_type: info.problemType ?? null,
      steps_per_epoch: stepsPerEpoch,
    },
  });
  const writeState = (dir: string) =>
    writeFileSync(join(dir, 'trainer_state.json'), `${JSON.stringify(state(), null, 2)}\n`);
  const saveCheckpoint = async (): Promise<string> => {
    const dir = join(out, `checkpoint-${trainer.step}`);
    mkdirSync(dir, { recursive: true });
    await setup.saveState(dir);
    copyTokenizer(resumeDir ?? modelDir, dir);
    writeState(dir);
    return dir;
  };
  const evaluate = async (): Promise<Metrics | undefined> => {
    if (!evalData) return undefined;
    const m = await evaluateModel({
      task,
      model: await setup.evalModel(),
      features: evalData.features,
      rows: evalRows!,
      info,
      collate: collateFor(0xfffffffe),
      batchSize: flags.evalBatchSize ?? bs,
      tokenizer,
      columns,
    });
    log.push({ ...m, epoch: trainer.step / stepsPerEpoch, step: trainer.step });
    return m;
  };

  io.err(
    `albert train ${task}: ${N} training features${evalData ? `, ${evalData.features.length} eval` : ''} · ${head} from ${resumeDir ?? modelDir} · ${totalSteps} steps (${stepsPerEpoch}/epoch, batch ${bs} × ${accum}) · ${await setup.describe()}${resumeDir ? ` · resuming at step ${trainer.step}` : ''}`,
  );
  let interrupted = false;
  const progress = createProgress(io);
  const onSigint = () => {
    interrupted = true;
    progress.log('interrupted: finishing this optimizer step, then saving a resumable checkpoint');
  };
  process.on('SIGINT', onSigint);
  const startStep = trainer.step;
  const t0 = performance.now();
  let lossSum = 0;
  let lossCount = 0;
  let lastLoss = Number.NaN;
  let savedAt = -1;
  let final: Metrics | undefined;
  try {
    progress.start(totalSteps, 'train');
    progress.update(trainer.step);
    outer: for (let epoch = Math.floor(trainer.step / stepsPerEpoch); trainer.step < totalSteps; epoch++) {
      const order = epochOrder(N, flags.seed, epoch);
      const opts = collateFor(epoch);
      for (let micro = (trainer.step - epoch * stepsPerEpoch) * accum; micro < stepsPerEpoch * accum; micro++) {
        const feats: Feature[] = order.slice(micro * bs, (micro + 1) * bs).map((i) => train.features[i]!);
        const r = await trainer.trainStep(collate(task, feats, opts));
        lossSum += r.loss;
        lossCount++;
        if (!r.updated) continue;
        const step = trainer.step;
        const rate = (step - startStep) / ((performance.now() - t0) / 1000);
        lastLoss = r.loss;
        progress.update(
          step,
          `train loss ${r.loss.toFixed(4)} · ${rate.toFixed(2)} steps/s · ETA ${duration((totalSteps - step) / rate)}`,
        );
        if (step % flags.loggingSteps === 0 || step === totalSteps) {
          const entry: LogEntry = {
            loss: lossSum / lossCount,
            learning_rate: r.lr ?? 0,
            ...(r.gradNorm !== undefined ? { grad_norm: r.gradNorm } : {}),
            epoch: step / stepsPerEpoch,
            step,
          };
          log.push(entry);
          progress.log(
            `step ${step}/${totalSteps} · ${fmt({ loss: entry.loss!, learning_rate: entry.learning_rate!, epoch: entry.epoch })}`,
          );
          lossSum = 0;
          lossCount = 0;
        }
        if (flags.evalSteps && step % flags.evalSteps === 0 && step < totalSteps) {
          const m = await evaluate();
          if (m) progress.log(`eval step ${step} · ${fmt(m)}`);
        }
        if (flags.saveSteps && step % flags.saveSteps === 0 && step < totalSteps) {
          await saveCheckpoint();
          savedAt = step;
        }
        if (interrupted) break outer;
        if (step >= totalSteps) break outer;
      }
    }
    if (interrupted && trainer.step < totalSteps) {
      progress.stop();
      const dir = savedAt === trainer.step ? join(out, `checkpoint-${trainer.step}`) : await saveCheckpoint();
      io.err(
        `interrupted at step ${trainer.step}/${totalSteps}: saved ${dir}; continue with the same command and --resume ${dir}`,
      );
      ctx.exitCode = EXIT.INTERRUPTED;
      return;
    }
    progress.stop();
    final = await evaluate();
    if (final) io.err(`eval step ${trainer.step} · ${fmt(final)}`);
    mkdirSync(out, { recursive: true });
    await setup.saveModel(out);
    copyTokenizer(resumeDir ?? modelDir, out);
    writeState(out);
    const seconds = (performance.now() - t0) / 1000;
    const results = {
      train_loss: lastLoss,
      train_runtime: seconds,
      train_steps_per_second: (trainer.step - startStep) / seconds,
      epoch: trainer.step / stepsPerEpoch,
      ...(final ?? {}),
    };
    writeFileSync(join(out, 'all_results.json'), `${JSON.stringify(results, null, 2)}\n`);
    io.out(flags.json ? JSON.stringify(results, null, 2) : `saved ${out} · ${fmt(results)}`);
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    setup.dispose();
  }
}
