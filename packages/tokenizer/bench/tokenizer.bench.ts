// Tokens per second of @albertjs/tokenizer against transformers.js' AlbertTokenizer (same tokenizer.json) and
// @sctg/sentencepiece-js (same spiece.model), on one long English text and on a batch of 10,000 sentences.
// Usage: pnpm bench [tokenizer folder] (default: the spm-en-8000 fixture folder of parity-tests).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlbertTokenizer as HfJsAlbertTokenizer } from '@huggingface/transformers';
import { SentencePieceProcessor as SctgProcessor } from '@sctg/sentencepiece-js';
import { AlbertTokenizer, AlbertTokenizerFast } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(
  process.argv[2] ?? join(here, '..', '..', 'parity-tests', 'fixtures', 'hf', 'tokenizers', 'spm-en-8000'),
);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// English sentences: the strings of the folder's cases.json, split at sentence ends.
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as {
  singles: Array<{ text: string }>;
  pairs: Array<{ text: string; text_pair: string }>;
};
const english = [...cases.singles.map((s) => s.text), ...cases.pairs.flatMap((p) => [p.text, p.text_pair])]
  .filter((s) => /^[\x20-\x7e]+$/.test(s) && s.length > 20)
  .flatMap((s) => s.split(/(?<=[.!?])\s+/))
  .filter((s) => s.length > 10);
const sentences = Array.from({ length: 10_000 }, (_, i) => english[i % english.length]!);
let longText = '';
for (let i = 0; longText.length < 1_000_000; i++) longText += `${english[i % english.length]} `;

type Runner = { name: string; long: () => number; batch: () => number };

/** Wall time and CPU time (this process, GC threads included): on a shared machine CPU time is the steadier one. */
const gc = (globalThis as { gc?: () => void }).gc;

function time(fn: () => number): { ms: number; cpuMs: number; tokens: number } {
  // Start every measurement from a collected heap, so no runner pays for another's garbage (pnpm bench runs node
  // with --expose-gc).
  gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tokens = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, tokens };
}

async function main(): Promise<void> {
  const tokenizerJson = readFileSync(join(dir, 'tokenizer.json'), 'utf8');
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
  const spiece = new Uint8Array(readFileSync(join(dir, 'spiece.model')));

  const fast = await AlbertTokenizerFast.fromPretrained(dir);
  const slow = AlbertTokenizer.fromSentencePiece(spiece, {
    doLowerCase: config.do_lower_case,
    keepAccents: config.keep_accents,
  });
  const hfjs = new HfJsAlbertTokenizer(JSON.parse(tokenizerJson), config);
  const sctg = new SctgProcessor();
  await sctg.loadFromB64StringModel(Buffer.from(spiece).toString('base64'));

  const runners: Runner[] = [
    {
      name: '@albertjs/tokenizer AlbertTokenizerFast (tokenizer.json)',
      long: () => fast.encode(longText).length,
      batch: () => (fast.call(sentences).input_ids as number[][]).reduce((s, r) => s + r.length, 0),
    },
    {
      name: '@albertjs/tokenizer AlbertTokenizer (spiece.model)',
      long: () => slow.encode(longText).length,
      batch: () => (slow.call(sentences).input_ids as number[][]).reduce((s, r) => s + r.length, 0),
    },
    {
      name: '@huggingface/transformers AlbertTokenizer (tokenizer.json)',
      long: () => hfjs.encode(longText).length,
      batch: () => sentences.reduce((s, t) => s + hfjs.encode(t).length, 0),
    },
    {
      name: '@sctg/sentencepiece-js (spiece.model, no special tokens)',
      long: () => sctg.encodeIds(longText).length,
      batch: () => sentences.reduce((s, t) => s + sctg.encodeIds(t).length, 0),
    },
  ];

  console.log(`tokenizer folder: ${dir}`);
  console.log(
    `long text: ${longText.length} characters; batch: ${sentences.length} sentences; ${ROUNDS} rounds, median`,
  );
  const results = new Map<
    string,
    { long: number[]; batch: number[]; longCpu: number[]; batchCpu: number[]; tokensLong: number; tokensBatch: number }
  >();
  for (const r of runners) {
    r.long();
    r.batch(); // warm-up
    results.set(r.name, { long: [], batch: [], longCpu: [], batchCpu: [], tokensLong: 0, tokensBatch: 0 });
  }
  // Interleaved rounds, so that a busy machine slows every runner alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of runners) {
      const res = results.get(r.name)!;
      const l = time(r.long);
      const b = time(r.batch);
      res.long.push(l.ms);
      res.batch.push(b.ms);
      res.longCpu.push(l.cpuMs);
      res.batchCpu.push(b.cpuMs);
      res.tokensLong = l.tokens;
      res.tokensBatch = b.tokens;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = runners.map((r) => {
    const res = results.get(r.name)!;
    return {
      name: r.name,
      longTps: res.tokensLong / (median(res.long) / 1000),
      batchTps: res.tokensBatch / (median(res.batch) / 1000),
      longCpuTps: res.tokensLong / (median(res.longCpu) / 1000),
      batchCpuTps: res.tokensBatch / (median(res.batchCpu) / 1000),
    };
  });
  const base = rows.find((r) => r.name.startsWith('@huggingface'))!;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    '| tokenizer | long text tokens/s (wall) | tokens/CPU-s | × transformers.js (CPU) | 10k sentences tokens/s (wall) | tokens/CPU-s | × transformers.js (CPU) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${fmt(r.longTps)} | ${fmt(r.longCpuTps)} | ${(r.longCpuTps / base.longCpuTps).toFixed(2)} | ${fmt(r.batchTps)} | ${fmt(r.batchCpuTps)} | ${(r.batchCpuTps / base.batchCpuTps).toFixed(2)} |`,
    );
  // Linear time: tokens/s of AlbertTokenizerFast on a tenth of the long text and on the whole of it.
  const tenth = longText.slice(0, longText.length / 10);
  const perSecond = (text: string) => {
    fast.encode(text);
    const runs = Array.from({ length: ROUNDS }, () => time(() => fast.encode(text).length));
    return runs[0]!.tokens / (median(runs.map((r) => r.cpuMs)) / 1000);
  };
  const small = perSecond(tenth);
  const large = perSecond(longText);
  console.log(
    `linearity (AlbertTokenizerFast, tokens/CPU-s): ${fmt(small)} on ${tenth.length} characters, ` +
      `${fmt(large)} on ${longText.length} (ratio ${(large / small).toFixed(2)})`,
  );
}

await main();
