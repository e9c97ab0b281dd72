// Reproduces the embedded default model (see README.md):
//   node --conditions=@albertjs/source --import tsx models/default/train.ts [--steps N] [--seed S]
// Pretrains a small ALBERT (AlbertForPreTraining: MLM + SOP) with @albertjs/tfjs's Trainer on WordNet
// glosses (corpus.ts), tokenized with the spm-en-8000 fixture tokenizer, and writes config.json,
// model.safetensors, the tokenizer files and train-log.json into this folder.
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AlbertConfig } from '../../packages/core/src/index.ts';
import { createBackend } from '../../packages/tfjs/src/index.ts';
import { initWeights } from '../../packages/tfjs/src/train/init.ts';
import { Trainer } from '../../packages/tfjs/src/train/trainer.ts';
import { AlbertTokenizerFast } from '../../packages/tokenizer/src/index.ts';
import { readWordnet, wordnetDir } from './corpus.ts';
import { type Instance, makeInstance, rng } from './examples.ts';

const here = dirname(fileURLToPath(import.meta.url));
const tokenizerSource = join(here, '..', '..', 'packages', 'parity-tests', 'fixtures', 'hf', 'tokenizers', 'spm-en-8000');

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '600' },
    batch: { type: 'string', default: '32' },
    seed: { type: 'string', default: '0' },
    lr: { type: 'string', default: '0.004' },
    'log-every': { type: 'string', default: '20' },
    out: { type: 'string', default: here },
  },
});
const steps = Number(args.steps);
const batchSize = Number(args.batch);
const seed = Number(args.seed);
const seqLen = 40;

const config = new AlbertConfig({
  vocab_size: 8000,
  embedding_size: 64,
  hidden_size: 192,
  num_hidden_layers: 4,
  num_hidden_groups: 1,
  num_attention_heads: 3,
  intermediate_size: 768,
  inner_group_num: 1,
  hidden_act: 'gelu_new',
  max_position_embeddings: 64,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  classifier_dropout_prob: 0.1,
});

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
let cursor = 0;
function nextBatch(): Instance[] {
  const out: Instance[] = [];
  while (out.length < batchSize) {
    const doc = docs[order[cursor++ % order.length]!]!;
    const inst = makeInstance(
      doc.map((s) => tokenizer.encode(s, { addSpecialTokens: false })),
      seqLen,
      special,
      rand,
    );
    if (inst) out.push(inst);
  }
  return out;
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
const model = await backend.loadModel('AlbertForPreTraining', config, initWeights('AlbertForPreTraining', config, seed));
const trainer = new Trainer(model, { learningRate: Number(args.lr), totalSteps: steps, warmupSteps: Math.round(steps * 0.06), weightDecay: 0.01 });

const heldOut = [nextBatch(), nextBatch()];
const log: { step: number; loss: number; seconds: number }[] = [];
const trainStart = elapsed();
let recent: number[] = [];
for (let step = 1; step <= steps; step++) {
  const r = await trainer.trainStep(toInputs(nextBatch()));
  recent.push(r.loss);
  if (step % Number(args['log-every']) === 0 || step === steps) {
    const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
    log.push({ step, loss: mean, seconds: elapsed() - trainStart });
    console.log(`step ${step}/${steps} loss ${mean.toFixed(3)} lr ${r.lr?.toExponential(2)} ${(elapsed() - trainStart).toFixed(0)} s`);
    recent = [];
  }
}
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
      data: { package: 'wordnet-base', version: wn.version, license: 'WordNet 3.0 license (Princeton University)', synsets: docs.length, documentsSeen: cursor },
      tokenizer: 'spm-en-8000 (packages/parity-tests/fixtures/hf/tokenizers)',
      config: config.toJSON(),
      args: { steps, batchSize, seqLen, seed, lr: Number(args.lr) },
      backend: await backend.describe(),
      trainSeconds,
      finalLoss: log[log.length - 1]?.loss,
      heldOut: evalResult,
      log,
    },
    null,
    1,
  )}\n`,
);
trainer.dispose();
model.dispose();
console.log(`done in ${elapsed().toFixed(0)} s`);
