// Task commands: fill-mask, classify, ner, qa, choice, embed, sop (through @albertjs/pipelines) and tokenize.
import type { Backend } from '@albertjs/core';
import { type Command, Option } from 'commander';
import {
  BACKEND_DTYPES,
  BACKEND_NAMES,
  type BackendName,
  checkBackendDType,
  importRequired,
  openBackend,
  TASK_DTYPES,
} from '../backends.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type HubFlags, resolveModelDir } from '../model.js';
import type { RunContext } from '../program.js';
import { renderResult, toJson } from '../render.js';
import { collectTexts, stdinReader, type TextSourceFlags, textArg, textSourceOptions } from '../texts.js';

type Pipelines = typeof import('@albertjs/pipelines');

interface CommonFlags extends HubFlags {
  model?: string;
  backend: string;
  dtype?: string;
  json?: boolean;
}

/** Auto order: what runs everywhere first. */
const AUTO_ORDER: readonly BackendName[] = ['onnx', 'tfjs', 'webgpu'];

export function loadPipelines(): Promise<Pipelines> {
  return importRequired<Pipelines>('@albertjs/pipelines', 'task commands need');
}

/** `--backend auto` takes the first backend that starts; a named one must start or the command fails (exit 4). */
export async function pickBackend(name: string, dtype?: string): Promise<Backend> {
  if (name !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new CliError(
      `unknown backend ${JSON.stringify(name)}: expected auto, ${BACKEND_NAMES.join(', ')}`,
      EXIT.USAGE,
    );
  }
  const runs = (n: BackendName) => dtype === undefined || BACKEND_DTYPES[n].includes(dtype);
  if (name !== 'auto' && dtype !== undefined) checkBackendDType(name as BackendName, dtype);
  const order = name === 'auto' ? AUTO_ORDER.filter(runs) : [name as BackendName];
  const reasons: string[] = [];
  for (const n of order) {
    const s = await openBackend(n);
    if (s.ok) return s.backend;
    reasons.push(`${n}: ${s.reason}`);
  }
  throw new CliError(`no backend could start (${reasons.join('; ')})`, EXIT.BACKEND_UNAVAILABLE);
}

/** `--file` / `--field` on a command that runs on one or more texts. */
function withTextSources(cmd: Command): Command {
  for (const o of textSourceOptions()) cmd.addOption(o);
  return cmd;
}

/** One text → the pipeline's single-input form, several → its batch form (one result each). */
const oneOrMany = (texts: string[]): string | string[] => (texts.length === 1 ? texts[0]! : texts);

function commonOptions(cmd: Command): Command {
  return cmd
    .option('-m, --model <model>', 'model folder, Hub repo id, or "default" (the embedded default model)', 'default')
    .addOption(
      new Option('-b, --backend <name>', 'backend that runs the model')
        .choices(['auto', ...BACKEND_NAMES])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--dtype <dtype>',
        'backend precision (onnx: all three; webgpu: float32, float16; tfjs: float32)',
      ).choices(TASK_DTYPES),
    )
    .option('--json', 'print the result as JSON')
    .option('--revision <rev>', 'Hub branch, tag or commit (default main)')
    .option('--token <token>', 'Hub token for gated or private repos (default $HF_TOKEN, else the stored login token)')
    .option('--cache-dir <dir>', 'Hugging Face cache folder')
    .option('--offline', 'use only the local Hugging Face cache, never the network');
}

function posInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${flag} ${JSON.stringify(v)}: expected a positive integer`, EXIT.USAGE);
    return n;
  };
}

/** Loads the task pipeline, runs `fn` on it, prints the result and releases the model and backend. */
async function withPipeline<T>(
  ctx: RunContext,
  task: Parameters<Pipelines['pipeline']>[0],
  flags: CommonFlags,
  fn: (p: { run(...a: never[]): Promise<unknown> }) => Promise<T>,
): Promise<void> {
  const lib = await loadPipelines();
  const dir = await resolveModelDir(flags.model, ctx.io, flags);
  const backend = await pickBackend(flags.backend, flags.dtype);
  try {
    const pipe = await lib
      .pipeline(task, dir, { backend, initializeMissing: false, ...(flags.dtype ? { dtype: flags.dtype } : {}) })
      .catch((e: unknown) => {
        throw withModelContext(e, dir ?? 'the embedded default model (@albertjs/default-model)', task);
      });
    try {
      const result = await fn(pipe as unknown as { run(...a: never[]): Promise<unknown> });
      ctx.io.out(flags.json ? toJson(result) : renderResult(result));
    } finally {
      (pipe as unknown as { dispose?: () => void }).dispose?.();
    }
  } finally {
    await backend.dispose?.();
  }
}

/**
 * A checkpoint or tokenizer-file error while loading names the model; a head the checkpoint lacks (a pre-training checkpoint has no
 * classifier) also says what to pass instead.
 */
export function withModelContext(e: unknown, model: string, task: string): unknown {
  const name = (e as { name?: unknown } | null)?.name;
  if (name !== 'CheckpointError' && name !== 'TokenizerFileError') return e;
  let msg = (e as Error).message;
  if (msg.startsWith(`${model}: `)) msg = msg.slice(model.length + 2); // the tokenizer already named its folder
  const hint = /missing from the checkpoint/.test(msg)
    ? `; it has no fine-tuned head for ${task}: pass --model a model folder or Hub id fine-tuned for it`
    : '';
  return new CliError(`model ${model}: ${msg}${hint}`, EXIT.BAD_INPUT);
}

type Run<I, O> = { run(input: I, options?: O): Promise<unknown> };

export function registerTasks(program: Command, ctx: RunContext): void {
  withTextSources(
    commonOptions(
      program
        .command('fill-mask')
        .description('predict the [MASK] token(s): top candidates with scores')
        .argument('[text]', 'text with one or more [MASK] tokens ("-": read it from stdin)')
        .option('-k, --top-k <n>', 'candidates per mask', posInt('--top-k'), 5)
        .option('--targets <words>', 'comma-separated candidate words to score instead of the whole vocabulary'),
    ),
  ).action(async (text: string | undefined, o: CommonFlags & TextSourceFlags & { topK: number; targets?: string }) => {
    const texts = await collectTexts(text === undefined ? [] : [text], o, ctx.io);
    await withPipeline(ctx, 'fill-mask', o, (p) =>
      (p as unknown as Run<string | string[], object>).run(oneOrMany(texts), {
        topK: o.topK,
        ...(o.targets ? { targets: o.targets.split(',').map((s) => s.trim()) } : {}),
      }),
    );
  });

  withTextSources(
    commonOptions(
      program
        .command('classify')
        .description('text classification (sequence classifier head): labels with scores')
        .argument('[text]', 'text to classify ("-": read it from stdin)')
        .option('--pair <text>', 'second text of a pair (NLI, paraphrase …; "-": stdin), paired with every text')
        .option('-k, --top-k <n>', 'labels to return (default 1; "all" for every label)')
        .addOption(
          new Option('--function <f>', 'score function (default: HF rule from problem_type)').choices([
            'softmax',
            'sigmoid',
            'none',
          ]),
        ),
    ),
  ).action(
    async (
      text: string | undefined,
      o: CommonFlags & TextSourceFlags & { pair?: string; topK?: string; function?: string },
    ) => {
      const topK = o.topK === undefined ? undefined : o.topK === 'all' ? null : posInt('--top-k')(o.topK);
      const stdin = stdinReader(ctx.io);
      const pair = o.pair === undefined ? undefined : await textArg(o.pair, stdin);
      const texts = await collectTexts(text === undefined ? [] : [text], o, { ...ctx.io, readStdin: stdin });
      const inputs = texts.map((t) => (pair === undefined ? t : { text: t, text_pair: pair }));
      await withPipeline(ctx, 'text-classification', o, (p) =>
        (p as unknown as Run<unknown, object>).run(inputs.length === 1 ? inputs[0] : inputs, {
          ...(topK !== undefined ? { topK } : {}),
          ...(o.function ? { functionToApply: o.function } : {}),
        }),
      );
    },
  );

  withTextSources(
    commonOptions(
      program
        .command('ner')
        .description('token classification: entities with character offsets')
        .argument('[text]', 'text to tag ("-": read it from stdin)')
        .addOption(
          new Option('--aggregation <strategy>', 'how sub-word tokens are grouped')
            .choices(['none', 'simple', 'first', 'average', 'max'])
            .default('simple'),
        )
        .option('--ignore-labels <labels>', 'comma-separated labels to drop (default O)'),
    ),
  ).action(
    async (
      text: string | undefined,
      o: CommonFlags & TextSourceFlags & { aggregation: string; ignoreLabels?: string },
    ) => {
      const texts = await collectTexts(text === undefined ? [] : [text], o, ctx.io);
      await withPipeline(ctx, 'token-classification', o, (p) =>
        (p as unknown as Run<string | string[], object>).run(oneOrMany(texts), {
          aggregationStrategy: o.aggregation,
          ...(o.ignoreLabels !== undefined
            ? {
                ignoreLabels: o.ignoreLabels
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              }
            : {}),
        }),
      );
    },
  );

  commonOptions(
    program
      .command('qa')
      .description('extractive question answering: the answer span in the context')
      .argument('<question>', 'the question ("-": read it from stdin)')
      .argument('<context>', 'the text that holds the answer ("-": read it from stdin)')
      .option('-k, --top-k <n>', 'answers to return', posInt('--top-k'), 1)
      .option('--max-answer-len <n>', 'longest answer in tokens', posInt('--max-answer-len'), 15)
      .option('--doc-stride <n>', 'overlap of the windows over a long context', posInt('--doc-stride'))
      .option('--handle-impossible-answer', 'allow the empty answer'),
  ).action(
    async (
      question: string,
      context: string,
      o: CommonFlags & { topK: number; maxAnswerLen: number; docStride?: number; handleImpossibleAnswer?: boolean },
    ) => {
      const stdin = stdinReader(ctx.io);
      const q = await textArg(question, stdin);
      const c = await textArg(context, stdin);
      await withPipeline(ctx, 'question-answering', o, (p) =>
        (p as unknown as Run<object, object>).run(
          { question: q, context: c },
          {
            topK: o.topK,
            maxAnswerLen: o.maxAnswerLen,
            ...(o.docStride ? { docStride: o.docStride } : {}),
            ...(o.handleImpossibleAnswer ? { handleImpossibleAnswer: true } : {}),
          },
        ),
      );
    },
  );

  commonOptions(
    program
      .command('choice')
      .description('multiple choice: score each candidate continuation of a prompt')
      .argument('<question>', 'the prompt or question ("-": read it from stdin)')
      .argument('<choices...>', 'two or more candidate answers (one of them may be "-": stdin)'),
  ).action(async (question: string, choices: string[], o: CommonFlags) => {
    if (choices.length < 2) throw new CliError(`choice needs at least two choices, got ${choices.length}`, EXIT.USAGE);
    const stdin = stdinReader(ctx.io);
    const q = await textArg(question, stdin);
    const cs: string[] = [];
    for (const c of choices) cs.push(await textArg(c, stdin));
    await withPipeline(ctx, 'multiple-choice', o, (p) =>
      (p as unknown as Run<object, object>).run({ question: q, choices: cs }),
    );
  });

  withTextSources(
    commonOptions(
      program
        .command('embed')
        .description('feature extraction: one vector per text')
        .argument('[texts...]', 'one or more texts ("-": read one from stdin)')
        .addOption(
          new Option('--pooling <p>', 'CLS vector, mean over tokens, or none (every token)')
            .choices(['cls', 'mean', 'none'])
            .default('mean'),
        )
        .option('--normalize', 'L2-normalize each vector'),
    ),
  ).action(async (args: string[], o: CommonFlags & TextSourceFlags & { pooling: string; normalize?: boolean }) => {
    const texts = await collectTexts(args, o, ctx.io);
    await withPipeline(ctx, 'feature-extraction', o, (p) =>
      (p as unknown as Run<string | string[], object>).run(oneOrMany(texts), {
        pooling: o.pooling,
        normalize: Boolean(o.normalize),
      }),
    );
  });

  commonOptions(
    program
      .command('sop')
      .description('sentence order prediction (AlbertForPreTraining): is <second> the continuation of <first>?')
      .argument('<first>', 'first segment ("-": read it from stdin)')
      .argument('<second>', 'second segment ("-": read it from stdin)'),
  ).action(async (first: string, second: string, o: CommonFlags) => {
    const stdin = stdinReader(ctx.io);
    const a = await textArg(first, stdin);
    const b = await textArg(second, stdin);
    await withPipeline(ctx, 'sentence-order', o, (p) =>
      (p as unknown as Run<object, object>).run({ text: a, text_pair: b }),
    );
  });

  program
    .command('tokenize')
    .description("tokenize text with a model's tokenizer: tokens, ids and character offsets")
    .argument('<text>', 'text to tokenize ("-": read it from stdin)')
    .option('--pair <text>', 'second text of a pair ("-": stdin)')
    .option('-m, --model <model>', 'model folder, Hub repo id, or "default"', 'default')
    .option('--json', 'print the result as JSON')
    .option('--revision <rev>', 'Hub branch, tag or commit (default main)')
    .option('--token <token>', 'Hub token for gated or private repos (default $HF_TOKEN, else the stored login token)')
    .option('--cache-dir <dir>', 'Hugging Face cache folder')
    .option('--offline', 'use only the local Hugging Face cache, never the network')
    .action(async (arg: string, o: HubFlags & { model?: string; pair?: string; json?: boolean }) => {
      const stdin = stdinReader(ctx.io);
      const text = await textArg(arg, stdin);
      const pair = o.pair === undefined ? undefined : await textArg(o.pair, stdin);
      const lib = await loadPipelines();
      const dir = (await resolveModelDir(o.model, ctx.io, o)) ?? lib.defaultModelPath();
      const tok = await lib.loadTokenizer(dir);
      const [enc] = tok.encode(text, pair === undefined ? {} : { textPair: pair });
      if (!enc)
        throw new CliError(
          `the tokenizer returned no encoding for ${JSON.stringify(text.slice(0, 60))}`,
          EXIT.INTERNAL,
        );
      const tokens = tok.convertIdsToTokens(enc.input_ids);
      if (o.json) {
        ctx.io.out(toJson({ tokens, ...enc }));
        return;
      }
      ctx.io.out(
        renderResult(
          tokens.map((t, i) => ({
            token: t,
            id: enc.input_ids[i],
            type: enc.token_type_ids[i],
            offsets: `${enc.offsets[i]?.[0]}-${enc.offsets[i]?.[1]}`,
          })),
        ),
      );
    });
}
