import { readFileSync } from 'node:fs';
import * as T from '@huggingface/transformers';
import { AlbertTokenizerFast } from './src/index.ts';
const dir = '/work/main/packages/parity-tests/fixtures/hf/tokenizers/spm-en-8000';
const cases = JSON.parse(readFileSync(dir + '/cases.json', 'utf8'));
const english = [...cases.singles.map((s) => s.text), ...cases.pairs.flatMap((p) => [p.text, p.text_pair])].filter((s) => /^[\x20-\x7e]+$/.test(s) && s.length > 20).flatMap((s) => s.split(/(?<=[.!?])\s+/)).filter((s) => s.length > 10);
const sentences = Array.from({ length: 10000 }, (_, i) => english[i % english.length]);
let longText = ''; for (let i = 0; longText.length < 1_000_000; i++) longText += english[i % english.length] + ' ';
const tj = JSON.parse(readFileSync(dir + '/tokenizer.json', 'utf8'));
const hf = new T.AlbertTokenizer(tj, JSON.parse(readFileSync(dir + '/tokenizer_config.json', 'utf8')));
const en = await AlbertTokenizerFast.fromPretrained(dir);
const cpu = (f) => { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); return ((c.user + c.system) / 1000).toFixed(0); };
for (let i = 0; i < 4; i++) {
  console.log('batch ours', cpu(() => en.call(sentences)), 'hfjs', cpu(() => sentences.forEach((s) => hf.encode(s))),
   ' long ours', cpu(() => en.encode(longText)), 'hfjs', cpu(() => hf.encode(longText)));
}
