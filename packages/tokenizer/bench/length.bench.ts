// Tokens per second against text length (one text of 1 k … 10 M characters; BENCH_MAX lowers the top) for both
// albertjs tokenizers (the built package, dist/, as users run it), transformers.js (@huggingface/transformers), tokenizers.js (@huggingface/tokenizers), HF
// tokenizers in Rust through napi (npm `tokenizers`) and sentencepiece in wasm (@sctg/sentencepiece-js), in one run
// on the same tokenizer folder, plus line-by-line throughput on the same corpus and the peak memory of offsets on
// the longest text (measured first, in the fresh process: the rise of the peak RSS during the call, and what the result
// keeps). Writes bench/tokens-per-second.svg (log-log plot) and prints a Markdown table.
// Usage: pnpm bench (in this package, after pnpm build), or
// node --expose-gc --import tsx bench/length.bench.ts [tokenizer folder]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlbertTokenizer, AlbertTokenizerFast, parseTokenizerConfig } from '@albertjs/tokenizer';
import { Tokenizer as TokenizersJs } from '@huggingface/tokenizers';
import { AlbertTokenizer as HfJsAlbertTokenizer } from '@huggingface/transformers';
import { SentencePieceProcessor as SctgProcessor } from '@sctg/sentencepiece-js';
import { Tokenizer as RustTokenizer } from 'tokenizers';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', '..', 'parity-tests', 'fixtures');
const dir = resolve(process.argv[2] ?? join(fixtures, 'hf', 'tokenizers', 'spm-en-8000'));
const MAX = Number(process.env.BENCH_MAX ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);

// Real text: the npm README part of the corpus, one line per line, repeated to the length wanted.
const corpusLines = readFileSync(join(fixtures, 'corpus', 'npm-readmes.txt'), 'utf8')
  .split('\n')
  .filter(Boolean);
const corpus = corpusLines.join('\n');
const textOf = (n: number) => corpus.repeat(Math.ceil(n / corpus.length)).slice(0, n);

const json = readFileSync(join(dir, 'tokenizer.json'), 'utf8');
const cfgText = readFileSync(join(dir, 'tokenizer_config.json'), 'utf8');
const spiece = readFileSync(join(dir, 'spiece.model'));
const fast = AlbertTokenizerFast.fromFiles({ 'tokenizer.json': json, 'tokenizer_config.json': cfgText });
const slow = AlbertTokenizer.fromSentencePiece(spiece, parseTokenizerConfig(cfgText));
const hfjs = new HfJsAlbertTokenizer(JSON.parse(json), JSON.parse(cfgText));
const tokjs = new TokenizersJs(JSON.parse(json), JSON.parse(cfgText));
const rust = RustTokenizer.fromString(json);
const sctg = new SctgProcessor();
await sctg.loadFromB64StringModel(spiece.toString('base64'));

// Memory of AlbertTokenizerFast with offsets on the longest text, first (the process has not grown yet): the rise of
// the peak RSS during the call (synchronous, so the high-water mark holds its peak) and what the result keeps.
const gc = (globalThis as { gc?: () => void }).gc;
/** Measured in a function so that nothing of the result stays alive for the throughput runs. */
function offsetsMemory() {
  const longest = textOf(MAX);
  gc?.();
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const heapBefore = process.memoryUsage();
  const withOffsets = fast.call(longest, { returnOffsetsMapping: true });
  const peakRise = process.resourceUsage().maxRSS * 1024 - rssBefore;
  gc?.();
  const heapAfter = process.memoryUsage();
  const kept = heapAfter.heapUsed + heapAfter.arrayBuffers - heapBefore.heapUsed - heapBefore.arrayBuffers;
  const tokens = (withOffsets.input_ids as number[]).length;
  const offsets = (withOffsets.offset_mapping as unknown[]).length;
  return { peakRise, kept, tokens, offsets };
}
const memory = offsetsMemory();
gc?.();

type Engine = { name: string; run: (text: string) => Promise<number> | number };
const engines: Engine[] = [
  { name: 'albertjs AlbertTokenizerFast', run: (t) => fast.encode(t).length },
  { name: 'albertjs AlbertTokenizer (spiece)', run: (t) => slow.encode(t).length },
  { name: 'transformers.js 4.3', run: (t) => hfjs.encode(t).length },
  { name: 'tokenizers.js 0.2', run: (t) => tokjs.encode(t).ids.length },
  { name: 'tokenizers 0.23.2 (Rust, napi)', run: async (t) => (await rust.encode(t)).getIds().length },
  { name: 'sentencepiece wasm (@sctg)', run: (t) => sctg.encodeIds(t).length },
];

/** Tokens per CPU second of this process (the machine is shared: CPU time is the steadier measure). */
async function rate(e: Engine, text: string): Promise<number> {
  await e.run(text);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  let tokens = 0;
  do tokens += await e.run(text);
  while (performance.now() - wall < SECONDS * 1000);
  const used = process.cpuUsage(cpu);
  return tokens / ((used.user + used.system) / 1e6);
}

const lengths: number[] = [];
for (let n = 1000; n <= MAX; n *= 10) lengths.push(n);
const results = new Map<string, number[]>();
for (const e of engines) results.set(e.name, []);
for (const n of lengths) {
  const text = textOf(n);
  for (const e of engines) {
    const r = await rate(e, text);
    results.get(e.name)!.push(r);
    console.error(`${n} chars  ${e.name}: ${(r / 1e6).toFixed(3)} M tokens/s`);
  }
}
// Line by line: every line of the corpus part, one call each; a first pass warms up, the second is timed.
const lineRates = new Map<string, number>();
for (const e of engines) {
  for (const line of corpusLines) await e.run(line);
  const cpu = process.cpuUsage();
  let tokens = 0;
  for (const line of corpusLines) tokens += await e.run(line);
  const used = process.cpuUsage(cpu);
  lineRates.set(e.name, tokens / ((used.user + used.system) / 1e6));
}
const fmt = (x: number) => (x / 1e6).toFixed(2);
console.log(`tokenizer folder: ${dir}; CPU time of this process; ${new Date().toISOString()}; node ${process.version}`);
console.log(`| engine | ${lengths.map((n) => `${n.toLocaleString('en')} chars`).join(' | ')} | line by line |`);
console.log(`| --- | ${lengths.map(() => '---').join(' | ')} | --- |`);
for (const e of engines)
  console.log(`| ${e.name} | ${results.get(e.name)!.map(fmt).join(' | ')} | ${fmt(lineRates.get(e.name)!)} |`);
const mib = (x: number) => (x / 2 ** 20).toFixed(0);
console.log(
  `(M tokens/s) AlbertTokenizerFast.call with returnOffsetsMapping on ${MAX.toLocaleString('en')} chars ` +
    `(${memory.tokens.toLocaleString('en')} tokens, ${memory.offsets.toLocaleString('en')} offsets): peak RSS rose ` +
    `${mib(memory.peakRise)} MiB during the call; the result keeps ${mib(memory.kept)} MiB (heap + buffers)`,
);

// Log-log plot of tokens/s against length.
const W = 720;
const H = 420;
const pad = { l: 70, r: 250, t: 20, b: 50 };
const all = [...results.values()].flat();
const yMin = Math.log10(Math.min(...all)) - 0.1;
const yMax = Math.log10(Math.max(...all)) + 0.1;
const x = (n: number) => pad.l + ((Math.log10(n) - 3) / Math.max(1, Math.log10(MAX) - 3)) * (W - pad.l - pad.r);
const y = (v: number) => pad.t + (1 - (Math.log10(v) - yMin) / (yMax - yMin)) * (H - pad.t - pad.b);
const colors = ['#d62728', '#ff7f0e', '#1f77b4', '#17becf', '#2ca02c', '#9467bd'];
const parts: string[] = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
  '<title>albertjs tokenizers, transformers.js, tokenizers.js, Rust tokenizers and sentencepiece: tokens/s vs length</title>',
  `<rect width="${W}" height="${H}" fill="white"/>`,
  `<text x="${pad.l}" y="14">tokens per CPU second vs text length (log-log)</text>`,
];
for (const n of lengths)
  parts.push(
    `<line x1="${x(n)}" x2="${x(n)}" y1="${pad.t}" y2="${H - pad.b}" stroke="#ddd"/>`,
    `<text x="${x(n)}" y="${H - pad.b + 16}" text-anchor="middle">${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}</text>`,
  );
for (let e = Math.ceil(yMin); e <= Math.floor(yMax); e++)
  parts.push(
    `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#ddd"/>`,
    `<text x="${pad.l - 6}" y="${y(10 ** e) + 4}" text-anchor="end">1e${e}</text>`,
  );
parts.push(`<text x="${(pad.l + W - pad.r) / 2}" y="${H - 12}" text-anchor="middle">characters in one text</text>`);
engines.forEach((e, i) => {
  const v = results.get(e.name)!;
  const c = colors[i % colors.length]!;
  parts.push(
    `<polyline fill="none" stroke="${c}" stroke-width="2" points="${v.map((r, k) => `${x(lengths[k]!)},${y(r)}`).join(' ')}"/>`,
    `<text x="${W - pad.r + 10}" y="${pad.t + 16 * (i + 1)}" fill="${c}">${e.name}</text>`,
  );
});
parts.push('</svg>');
writeFileSync(join(here, 'tokens-per-second.svg'), `${parts.join('\n')}\n`);
