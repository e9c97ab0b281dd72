// Do tfjs, onnx (the file `albert export-onnx` wrote) and webgpu predict the same on a held-out set?
// Featurizes the test file exactly as `albert train` evaluates it, runs every batch on the three backends and
// counts the predictions (argmax per example, or per labelled word for token classification) that differ from
// tfjs', with the largest logit difference. Writes agree.json next to the model.
//   node --conditions=@albertjs/source --import tsx models/default/finetune/agree.ts <model-dir> <test.jsonl>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collate } from '../../../apps/cli/src/commands/train-collate.ts';
import { readDataFile } from '../../../apps/cli/src/commands/train-data.ts';
import { featurize, type TrainTask } from '../../../apps/cli/src/commands/train-features.ts';
import { type AlbertInputs, loadPretrained, type Tensor } from '../../../packages/core/src/index.ts';
import { loadOnnxModel } from '../../../packages/onnx/src/index.ts';
import { loadTokenizer } from '../../../packages/pipelines/src/index.ts';
import { createBackend as tfjsBackend } from '../../../packages/tfjs/src/index.ts';
import { createBackend as webgpuBackend } from '../../../packages/webgpu/src/index.ts';

type Forward = (x: AlbertInputs) => Promise<Tensor<Float32Array>>;

const [dir, testFile] = process.argv.slice(2);
if (!dir || !testFile) throw new Error('usage: agree.ts <model-dir> <test.jsonl>');
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
const head = config.architectures[0] as 'AlbertForSequenceClassification' | 'AlbertForTokenClassification';
const task: TrainTask = head === 'AlbertForTokenClassification' ? 'token-classification' : 'text-classification';
const tokenizer = await loadTokenizer(dir);
const labels = Object.keys(config.id2label).map((i) => config.id2label[i] as string);
const { features } = featurize(task, readDataFile(testFile), {
  tokenizer,
  options: { maxLength: 40 },
  labels,
});
const pre = await loadPretrained(dir, head);
const tf = await (await tfjsBackend({ runtime: 'wasm' })).loadModel(head, pre.config, pre.weights);
const gpuBackend = await webgpuBackend();
const gpu = await gpuBackend.loadModel(head, pre.config, pre.weights);
const onnx = await loadOnnxModel(join(dir, 'model.onnx'));
const runs: [string, Forward][] = [
  ['tfjs', async (x) => (await tf.forward(x)).logits],
  ['onnx', async (x) => (await onnx.forward(x as never)).logits as Tensor<Float32Array>],
  [`webgpu (${await gpuBackend.describe()})`, async (x) => (await gpu.forward(x)).logits],
];
const preds = new Map<string, number[]>(runs.map(([n]) => [n, []]));
const worst = new Map<string, number>(runs.map(([n]) => [n, 0]));
const L = labels.length;
for (let b = 0; b < features.length; b += 32) {
  const feats = features.slice(b, b + 32);
  const inputs = collate(task, feats, { padId: tokenizer.padTokenId, problemType: 'single_label_classification' });
  delete inputs.labels; // predictions only
  let ref: Float32Array | undefined;
  for (const [name, fwd] of runs) {
    const logits = (await fwd(inputs)).data;
    ref ??= logits;
    let d = 0;
    for (let i = 0; i < logits.length; i++) d = Math.max(d, Math.abs(logits[i]! - ref[i]!));
    worst.set(name, Math.max(worst.get(name)!, d));
    const S = logits.length / feats.length / L;
    feats.forEach((f, i) => {
      const rows =
        task === 'token-classification' ? f.tokenLabels!.flatMap((l, k) => (l === -100 ? [] : [i * S + k])) : [i];
      for (const r of rows) {
        let best = 0;
        for (let j = 1; j < L; j++) if (logits[r * L + j]! > logits[r * L + best]!) best = j;
        preds.get(name)!.push(best);
      }
    });
  }
}
const tfPreds = preds.get('tfjs')!;
const result = {
  model: dir,
  test: testFile,
  predictions: tfPreds.length,
  backends: Object.fromEntries(
    runs.map(([n]) => [
      n,
      { differFromTfjs: preds.get(n)!.filter((p, i) => p !== tfPreds[i]).length, maxAbsLogitDiff: worst.get(n) },
    ]),
  ),
};
writeFileSync(join(dir, 'agree.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
tf.dispose();
gpu.dispose();
onnx.dispose();
await gpuBackend.dispose?.();
