// Reproduces the embedded default model (see README.md):
//   node --conditions=@albertjs/source --import tsx models/default/train.ts [--steps N | --budget SECONDS] [--seed S]
// Without --steps, the number of optimizer steps is what fits in --budget seconds of training (default 840)
// at the speed of the first 3 (timing) steps; train-log.json records it, so `--steps N` repeats a run.
// Pretrains a small ALBERT (AlbertForPreTraining: MLM + SOP) with @albertjs/tfjs's Trainer on WordNet
// glosses (corpus.ts), tokenized with the spm-en-8000 fixture tokenizer, and writes config.json,
// model.safetensors, the tokenizer files and train-log.json into this folder.
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AlbertConfig, bindWeights, Tensor } from '../../packages/core/src/index.ts';
import { type FillMaskPrediction, pipeline } from '../../packages/pipelines/src/index.ts';
import { createBackend } from '../../packages/tfjs/src/index.ts';
import { initTensors } from '../../packages/tfjs/src/train/init.ts';
import { Trainer } from '../../packages/tfjs/src/train/trainer.ts';
import { AlbertTokenizerFast } from '../../packages/tokenizer/src/index.ts';
import { readWordnet, wordnetDir } from './corpus.ts';
import { type Instance, makeInstance, rng } from './examples.ts';

const here = dirname(fileURLToPath(import.meta.url));
const tokenizerSource = join(
  here,
  '..',
  '..',
  'packages',
  'parity-tests',
  'fixtures',
  'hf',
  'tokenizers',
  'spm-en-8000',
);

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string' },
    budget: { type: 'string', default: '840' },
    hidden: { type: 'string', default: '96' },
    layers: { type: 'string', default: '3' },
    embedding: { type: 'string', default: '48' },
    seq: { type: 'string', default: '32' },
    batch: { type: 'string', default: '24' },
    seed: { type: 'string', default: '0' },
    lr: { type: 'string', default: '0.002' },
    'log-every': { type: 'string', default: '20' },
    out: { type: 'string', default: here },
  },
});
const batchSize = Number(args.batch);
const seed = Number(args.seed);
const seqLen = Number(args.seq);
const H = Number(args.hidden);

const config = new AlbertConfig({
  vocab_size: 8000,
  embedding_size: Number(args.embedding),
  hidden_size: H,
  num_hidden_layers: Number(args.layers),
  num_hidden_groups: 1,
  num_attention_heads: Math.max(1, H / 48),
  intermediate_size: 4 * H,
  inner_group_num: 1,
  hidden_act: 'gelu_new',
  max_position_embeddings: 64,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  classifier_dropout_prob: 0, // no dropout anywhere: a short run underfits, it does not overfit
});

/** Fill-mask prompts whose top-5 answers are recorded in samples.json after training. */
const SAMPLES = [
  'The capital of [MASK] is Paris.',
  'A dog is a kind of [MASK].',
  'To run is to move [MASK] on foot.',
  'The sun is a [MASK].',
];
const samples: Record<string, string[]> = {};

const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;

const tokenizer = await AlbertTokenizerFast.fromPretrained(tokenizerSource);
const special = {
  cls: tokenizer.clsTokenId!,
  sep: tokenizer.sepTokenId!,
  mask: tokenizer.maskTokenId!,
  pad: tokenizer.padTokenId!,
  vocabSize: config.vocab_size,
  reserved: 5,
};
const wn = wordnetDir();
const docs = readWordnet(wn.dir);
console.log(`wordnet-base ${wn.version}: ${docs.length} synsets (${elapsed().toFixed(1)} s)`);

// Documents in a seeded random order; tokenized lazily, as batches need them.
const rand = rng(seed);
const order = docs.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const encoded = new Map<number, number[][]>();
const encodeDoc = (i: number) => {
  let e = encoded.get(i);
  if (!e) {
    e = docs[i]!.map((s) => tokenizer.encode(s, { addSpecialTokens: false }));
    encoded.set(i, e);
  }
  return e;
};
// The first HELD_OUT_DOCS documents of that order are never trained on (training cycles over the rest, epoch
// after epoch): the held-out loss and MLM accuracy are measured on them.
const HELD_OUT_DOCS = 1000;
const trainOrder = order.slice(HELD_OUT_DOCS);
let cursor = 0;
function nextBatch(): Instance[] {
  const out: Instance[] = [];
  while (out.length < batchSize) {
    const inst = makeInstance(encodeDoc(trainOrder[cursor++ % trainOrder.length]!), seqLen, special, rand);
    if (inst) out.push(inst);
  }
  return out;
}
function heldOutBatches(count: number): Instance[][] {
  const r = rng(seed + 1); // its own stream: the held-out masks do not depend on how long training ran
  const all: Instance[] = [];
  for (let k = 0; k < HELD_OUT_DOCS && all.length < count * batchSize; k++) {
    const inst = makeInstance(encodeDoc(order[k]!), seqLen, special, r);
    if (inst) all.push(inst);
  }
  return Array.from({ length: count }, (_, i) => all.slice(i * batchSize, (i + 1) * batchSize));
}

// The MLM output bias starts at the log unigram frequencies of the first PRIOR_DOCS documents (add-one
// smoothed, mean 0), so that the few steps this budget allows go to context rather than word frequencies.
const PRIOR_DOCS = 4000;
function logUnigramPrior(): Float32Array {
  const counts = new Float64Array(config.vocab_size).fill(1);
  for (let k = 0; k < PRIOR_DOCS; k++) for (const s of encodeDoc(trainOrder[k]!)) for (const id of s) counts[id]! += 1;
  const logs = Array.from(counts, Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  return Float32Array.from(logs, (v) => v - mean);
}
const toInputs = (b: Instance[]) => ({
  input_ids: b.map((x) => x.input_ids),
  token_type_ids: b.map((x) => x.token_type_ids),
  attention_mask: b.map((x) => x.attention_mask),
  labels: b.map((x) => x.labels),
  sentence_order_label: b.map((x) => x.sentence_order_label),
});

const backend = await createBackend();
console.log(await backend.describe());
const init = initTensors('AlbertForPreTraining', config, seed);
init.set('predictions.bias', Tensor.f32(logUnigramPrior(), [config.vocab_size]));
console.log(`unigram prior from ${PRIOR_DOCS} documents (${elapsed().toFixed(0)} s)`);
const model = await backend.loadModel(
  'AlbertForPreTraining',
  config,
  bindWeights('AlbertForPreTraining', config, init).weights,
);
const heldOut = heldOutBatches(8);
const trainStart = elapsed();
// Timing steps (learning rate 1e-6, so the weights barely move; run with --steps too, so runs repeat),
// then --steps optimizer steps, or as many as fit in the budget at that speed.
const timing = new Trainer(model, { learningRate: 1e-6, totalSteps: 3 });
await timing.trainStep(toInputs(nextBatch())); // the first step also compiles the kernels
const timed = elapsed();
for (let i = 0; i < 2; i++) await timing.trainStep(toInputs(nextBatch()));
timing.dispose();
const perStep = (elapsed() - timed) / 2;
const steps =
  args.steps !== undefined
    ? Number(args.steps)
    : Math.max(10, Math.floor((Number(args.budget) - (elapsed() - trainStart)) / perStep));
console.log(`${perStep.toFixed(1)} s per step: ${steps} steps`);
const trainer = new Trainer(model, {
  learningRate: Number(args.lr),
  totalSteps: steps,
  warmupSteps: Math.round(steps * 0.1),
  weightDecay: 0.01,
});
const log: { step: number; loss: number; seconds: number }[] = [];
let recent: number[] = [];
// Wall-clock stop: a machine shared with other jobs can run slower than the timing steps said.
const deadline = args.steps !== undefined ? Number.POSITIVE_INFINITY : Number(args.budget) * 1.1;
let stepsDone = 0;
const EVAL_EVERY = 2000;
const evals: { step: number; loss: number; accuracy?: number }[] = [];
for (let step = 1; step <= steps; step++) {
  if (elapsed() - trainStart > deadline) {
    console.log(`wall-clock stop after ${stepsDone} steps`);
    break;
  }
  const r = await trainer.trainStep(toInputs(nextBatch()));
  stepsDone = step;
  recent.push(r.loss);
  if (step % Number(args['log-every']) === 0 || step === steps) {
    const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
    log.push({ step, loss: mean, seconds: elapsed() - trainStart });
    console.log(
      `step ${step}/${steps} loss ${mean.toFixed(3)} lr ${r.lr?.toExponential(2)} ${(elapsed() - trainStart).toFixed(0)} s`,
    );
    recent = [];
  }
  if (step % EVAL_EVERY === 0) {
    const e = await trainer.evaluate(heldOut.map(toInputs));
    evals.push({ step, loss: e.loss, accuracy: e.accuracy });
    console.log(`held-out at step ${step}: loss ${e.loss.toFixed(3)}, MLM accuracy ${e.accuracy?.toFixed(3)}`);
  }
}
if (recent.length)
  log.push({
    step: stepsDone,
    loss: recent.reduce((a, b) => a + b, 0) / recent.length,
    seconds: elapsed() - trainStart,
  });
const trainSeconds = elapsed() - trainStart;
const evalResult = await trainer.evaluate(heldOut.map(toInputs));
console.log(`held-out loss (MLM + SOP) ${evalResult.loss.toFixed(3)}, MLM accuracy ${evalResult.accuracy?.toFixed(3)}`);

await trainer.save(args.out);
for (const f of ['spiece.model', 'tokenizer.json']) copyFileSync(join(tokenizerSource, f), join(args.out, f));
const tokCfg = { ...tokenizer.tokenizerConfig(), model_max_length: config.max_position_embeddings };
writeFileSync(join(args.out, 'tokenizer_config.json'), `${JSON.stringify(tokCfg, null, 1)}\n`);
writeFileSync(
  join(args.out, 'train-log.json'),
  `${JSON.stringify(
    {
      data: {
        package: 'wordnet-base',
        version: wn.version,
        license: 'WordNet 3.0 license (Princeton University)',
        synsets: docs.length,
        heldOutDocuments: HELD_OUT_DOCS,
        trainingDocumentsRead: cursor,
        epochs: cursor / trainOrder.length,
      },
      tokenizer: 'spm-en-8000 (packages/parity-tests/fixtures/hf/tokenizers)',
      config: config.toJSON(),
      args: { ...args, out: undefined, steps, stepsDone, batchSize, seqLen, seed, lr: Number(args.lr) },
      backend: (await backend.describe()).split(' [')[0], // without the skipped runtimes' local paths
      trainSeconds,
      finalLoss: log[log.length - 1]?.loss,
      heldOut: evalResult,
      heldOutDuringTraining: evals,
      log,
    },
    null,
    1,
  )}\n`,
);
trainer.dispose();
model.dispose();
const fill = await pipeline('fill-mask', args.out, { backend });
for (const text of SAMPLES) {
  const top = (await fill.run(text, { topK: 5 })) as FillMaskPrediction[];
  samples[text] = top.map((p) => `${p.token_str} (${p.score.toFixed(3)})`);
  console.log(text, '→', samples[text].join(', '));
}
fill.dispose();
writeFileSync(join(args.out, 'samples.json'), `${JSON.stringify(samples, null, 1)}\n`);
console.log(`done in ${elapsed().toFixed(0)} s`);
