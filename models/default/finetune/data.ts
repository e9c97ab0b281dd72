// The fine-tuning demonstration's two datasets, built from WordNet 3.0 (Debian's wordnet-base, as the default model's
// pretraining corpus; see ../corpus.ts) into a dataset folder per task in the Hub layout (train.*, test.*):
// - supersense/: text classification: a synset's definition ("the capital and largest city of france") → its
//   lexicographer file, one of 45 supersenses (noun.location, verb.motion, adj.all …).
// - headword/: token classification: the words of a synset's usage example, with the occurrences of the synset's
//   lemma (or an inflection of it: WordNet's *.exc exception lists, regular -s/-es/-ed/-ing/-er/-est endings)
//   tagged B-/I- with the synset's part of speech (NOUN, VERB, ADJ, ADV), the rest O.
// The held-out split is the 1,000 synsets the default model's pretraining held out (../train.ts: the first 1,000 of
// the seed-0 order): neither pretraining nor fine-tuning ever sees them.
//   node --import tsx models/default/finetune/data.ts --out /tmp/wordnet-tasks [--train-size 20000]
//     [--wordnet <dict folder>] [--held-out 1000]   (the smoke test: test-wordnet/, a WordNet-format sample, 8 held out)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LEXNAMES, readSynsets, type Synset, wordnetDir } from '../corpus.ts';
import { rng } from '../examples.ts';

const HELD_OUT_DOCS = 1000; // ../train.ts

/** The pretraining order of ../train.ts (seed 0): the first HELD_OUT_DOCS synsets were held out. */
export function pretrainingOrder(n: number, seed = 0): number[] {
  const rand = rng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const POS: Record<Synset['part'], string> = { noun: 'NOUN', verb: 'VERB', adj: 'ADJ', adv: 'ADV' };

/** inflected form → base forms, from WordNet's noun.exc / verb.exc / adj.exc / adv.exc. */
function exceptions(dir: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of ['noun', 'verb', 'adj', 'adv']) {
    for (const line of readFileSync(join(dir, `${p}.exc`), 'latin1').split('\n')) {
      const [inflected, ...bases] = line.trim().split(/\s+/);
      if (inflected && bases.length)
        m.set(inflected.replace(/_/g, ' '), [...(m.get(inflected) ?? []), ...bases.map((b) => b.replace(/_/g, ' '))]);
    }
  }
  return m;
}

const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'er', 'est', 'ies', 'ied'];

/** Whether `word` is `base` or a regular / listed inflection of it. */
function inflects(word: string, base: string, exc: Map<string, string[]>): boolean {
  if (word === base) return true;
  if (exc.get(word)?.includes(base)) return true;
  const stems = [base, base.replace(/e$/, ''), base.replace(/y$/, 'i'), base + base.at(-1)];
  return stems.some((s) => SUFFIXES.some((x) => word === s + x));
}

/** Example words (lower case, punctuation split off) with the lemma occurrences tagged. */
export function tagExample(
  example: string,
  synset: Synset,
  exc: Map<string, string[]>,
): { tokens: string[]; tags: string[] } | undefined {
  const tokens = example.toLowerCase().match(/[\p{L}\p{N}'-]+|[^\s\p{L}\p{N}]/gu) ?? [];
  const tags = tokens.map(() => 'O');
  const pos = POS[synset.part];
  let found = false;
  for (const lemma of synset.lemmas.map((l) => l.toLowerCase().split(' '))) {
    for (let i = 0; i + lemma.length <= tokens.length; i++) {
      if (tags.slice(i, i + lemma.length).some((t) => t !== 'O')) continue;
      // every word of a multi-word lemma matches; the last one may be inflected ("looked up" ← "look up")
      const ok = lemma.every((w, k) =>
        k === lemma.length - 1 || k === 0 ? inflects(tokens[i + k]!, w, exc) : tokens[i + k] === w,
      );
      if (!ok) continue;
      lemma.forEach((_, k) => {
        tags[i + k] = `${k === 0 ? 'B' : 'I'}-${pos}`;
      });
      found = true;
    }
  }
  return found ? { tokens, tags } : undefined;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'train-size': { type: 'string', default: '20000' },
      wordnet: { type: 'string' },
      'held-out': { type: 'string', default: String(HELD_OUT_DOCS) },
    },
  });
  if (!values.out) throw new Error('--out <folder> is required');
  const trainSize = Number(values['train-size']);
  const heldOutDocs = Number(values['held-out']);
  for (const [flag, v] of [
    ['--train-size', trainSize],
    ['--held-out', heldOutDocs],
  ] as const)
    if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${flag} must be a positive integer, got ${v}`);
  const wn = values.wordnet ? { dir: values.wordnet, version: `folder ${values.wordnet}` } : wordnetDir();
  const synsets = readSynsets(wn.dir);
  const exc = exceptions(wn.dir);
  const order = pretrainingOrder(synsets.length);
  const heldOut = order.slice(0, heldOutDocs);
  const rest = order.slice(heldOutDocs); // already a seeded random order: the first trainSize are the training set
  const supersense = (ids: number[]) =>
    ids.map((i) => ({ text: synsets[i]!.definitions.join('; '), label: LEXNAMES[synsets[i]!.lexFile]! }));
  const headword = (ids: number[]) =>
    ids.flatMap((i) => synsets[i]!.examples.map((e) => tagExample(e, synsets[i]!, exc)).filter((x) => x !== undefined));
  const out = values.out;
  const write = (task: string, split: string, rows: object[]) => {
    mkdirSync(join(out, task), { recursive: true });
    writeFileSync(join(out, task, `${split}.jsonl`), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    console.log(`${task}/${split}.jsonl: ${rows.length} rows`);
  };
  write('supersense', 'train', supersense(rest.slice(0, trainSize)));
  write('supersense', 'test', supersense(heldOut));
  // examples are rarer than synsets: the headword training set draws from twice as many synsets
  write('headword', 'train', headword(rest.slice(0, 2 * trainSize)).slice(0, trainSize));
  write('headword', 'test', headword(heldOut));
  writeFileSync(
    join(out, 'source.json'),
    `${JSON.stringify({ package: 'wordnet-base', version: wn.version, heldOutSynsets: heldOutDocs, trainSize }, null, 2)}\n`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
