// AlbertTokenizer's default sentencepiece mode ('0.2') against sentencepiece 0.2.2 itself (the pip wheel transformers
// installs), on the corpus lines where sentencepiece versions break ties differently or a user-defined symbol occurs,
// for every fixture model with its scores as they are and shifted by +5 (fixtures/spm-0.2.2: how they were made).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizer, parseTokenizerConfig } from '@albertjs/tokenizer';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusTokenizers } from '../src/fixtures.js';
import { shiftNormalScores } from '../src/spm-shift.js';

interface Case {
  model: string;
  shift: number;
  text: string;
  pieces: string[];
}
const cases: Case[] = readFileSync(join(CORPUS_DIR, '..', 'spm-0.2.2', 'cases.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Case);
const groups = [...new Set(cases.map((c) => `${c.model} ${c.shift}`))].map((k) => {
  const [model, shift] = k.split(' ') as [string, string];
  return { model, shift: Number(shift), cases: cases.filter((c) => c.model === model && c.shift === Number(shift)) };
});

function tokenizers(model: string, shift: number) {
  const t = corpusTokenizers().find((x) => x.name === model);
  if (!t) throw new Error(`no fixture tokenizer ${model}`);
  const cfg = parseTokenizerConfig(readFileSync(join(t.dir, 'tokenizer_config.json'), 'utf8'));
  let spiece: Uint8Array = readFileSync(join(t.dir, 'spiece.model'));
  if (shift) spiece = shiftNormalScores(spiece, shift);
  return {
    v02: AlbertTokenizer.fromSentencePiece(spiece, cfg),
    v01: AlbertTokenizer.fromSentencePiece(spiece, { ...cfg, sentencepiece: '0.1' }),
  };
}

let v01Total = 0;

describe('AlbertTokenizer (default sentencepiece 0.2 mode) vs sentencepiece 0.2.2', () => {
  it('covers every fixture model, with and without shifted scores', () => {
    expect(groups.length).toBe(2 * corpusTokenizers().length);
  });

  it.each(groups)('$model, scores shifted by $shift: the pieces of sentencepiece 0.2.2', ({ model, shift, cases }) => {
    const { v02, v01 } = tokenizers(model, shift);
    const diffs: string[] = [];
    let v01Diffs = 0;
    for (const c of cases) {
      const got = v02.sp.encode(c.text).map((p) => p.piece);
      if (got.join(' ') !== c.pieces.join(' '))
        diffs.push(`${JSON.stringify(c.text)}\n  albertjs ${got.join(' ')}\n  spm 0.2.2 ${c.pieces.join(' ')}`);
      if (
        v01.sp
          .encode(c.text)
          .map((p) => p.piece)
          .join(' ') !== c.pieces.join(' ')
      )
        v01Diffs++;
    }
    expect(diffs.length, `${diffs.length} of ${cases.length} differ:\n${diffs.slice(0, 5).join('\n')}`).toBe(0);
    v01Total += v01Diffs;
  });

  it('tells the versions apart: the 0.1.x rules give other pieces on some cases', () => {
    expect(v01Total).toBeGreaterThan(100);
  });
});
