import { AlbertConfig } from '../../packages/core/src/index.ts';
import { createBackend } from '../../packages/tfjs/src/index.ts';
import { Trainer } from '../../packages/tfjs/src/train/trainer.ts';
import { initWeights } from '../../packages/tfjs/src/train/init.ts';
const [H, L, S, B] = process.argv.slice(2).map(Number) as [number, number, number, number];
const backend = await createBackend({ runtime: (process.env.RT as 'wasm') ?? 'wasm' });
console.log(await backend.describe());
const config = new AlbertConfig({ vocab_size: 8000, embedding_size: 128, hidden_size: H, num_hidden_layers: L, num_attention_heads: H / 64, intermediate_size: 4 * H, max_position_embeddings: 64, hidden_act: 'gelu_new' });
const model = await backend.loadModel('AlbertForPreTraining', config, initWeights('AlbertForPreTraining', config, 1));
const tr = new Trainer(model, { learningRate: 1e-3, totalSteps: 100, warmupSteps: 10 });
const ids = Array.from({ length: B }, () => Array.from({ length: S }, () => 5 + Math.floor(Math.random() * 7990)));
const labels = ids.map((r) => r.map((v, i) => (i % 7 === 0 ? v : -100)));
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  const r = await tr.trainStep({ input_ids: ids, labels, sentence_order_label: ids.map(() => 0) });
  console.log(i, r.loss.toFixed(3), (performance.now() - t).toFixed(0), 'ms');
}
