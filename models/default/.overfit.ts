import { AlbertConfig } from '../../packages/core/src/index.ts';
import { createBackend } from '../../packages/tfjs/src/index.ts';
import { initWeights } from '../../packages/tfjs/src/train/init.ts';
import { Trainer } from '../../packages/tfjs/src/train/trainer.ts';
const lr = Number(process.argv[2]);
const backend = await createBackend();
const config = new AlbertConfig({ vocab_size: 200, embedding_size: 32, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 128, max_position_embeddings: 32, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 });
const model = await backend.loadModel('AlbertForPreTraining', config, initWeights('AlbertForPreTraining', config, 0));
const tr = new Trainer(model, { learningRate: lr, totalSteps: 200, warmupSteps: 5 });
// copy task: token at masked position equals token 1 position earlier (bigram-determined)
let s = 1;
const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
function batch() {
  const ids: number[][] = [], labels: number[][] = [];
  for (let b = 0; b < 16; b++) {
    const row = [2]; for (let i = 0; i < 15; i++) { const v = 5 + Math.floor(r() * 90); row.push(v, v + 100); }
    row.length = 20; const lab = row.map(() => -100);
    for (let i = 2; i < 20; i += 2) if (r() < 0.5) { lab[i] = process.env.POS ? 100 + i : row[i]!; row[i] = 4; }
    ids.push(row); labels.push(lab);
  }
  return { input_ids: ids, labels, sentence_order_label: ids.map(() => 0) };
}
for (let i = 1; i <= 150; i++) { const x = await tr.trainStep(batch()); if (i % 15 === 0) console.log(i, x.loss.toFixed(3)); }
