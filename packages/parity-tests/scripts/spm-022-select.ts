// Step 1 of fixtures/spm-0.2.2 (see its README): the corpus lines, preprocessed as AlbertTokenizer does, on which the
// tie-breaking of sentencepiece versions matters (albertjs' '0.1' and '0.2' modes disagree) or a user-defined symbol
// occurs, for every fixture model with its scores as they are and shifted by +5. Writes JSON lines to stdout.
// Run: node --conditions=@albertjs/source --import tsx scripts/spm-022-select.ts > /tmp/spm-candidates.jsonl
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizer, parseTokenizerConfig } from '@albertjs/tokenizer';
import { corpusFiles, corpusTokenizers } from '../src/fixtures.js';
import { shiftNormalScores } from '../src/spm-shift.js';

const lines = corpusFiles().flatMap((f) => f.lines);
// user-defined symbols against normal pieces that would score higher, overlap them or sit next to them
const crafted = [
  'a,-,.,–,£,€b',
  'x1,-,.,–,£,€',
  'a 1,-,.,–,£,€b',
  '1,-,.',
  'foo(bar)baz',
  '((()))',
  '2,-,.,–,£,€,-,.,–,£,€3',
];
for (const t of corpusTokenizers()) {
  const cfg = parseTokenizerConfig(readFileSync(join(t.dir, 'tokenizer_config.json'), 'utf8'));
  for (const shift of [0, 5]) {
    let spiece: Uint8Array = readFileSync(join(t.dir, 'spiece.model'));
    if (shift) spiece = shiftNormalScores(spiece, shift);
    const v01 = AlbertTokenizer.fromSentencePiece(spiece, { ...cfg, sentencepiece: '0.1' });
    const v02 = AlbertTokenizer.fromSentencePiece(spiece, { ...cfg, sentencepiece: '0.2' });
    const user = v02.sp.model.pieces.filter((p) => p.type === 4).map((p) => p.piece);
    let withUser = 0;
    for (const line of lines) {
      const text = v02.preprocessText(line);
      const a = v01.sp.encode(text).map((p) => p.piece);
      const b = v02.sp.encode(text).map((p) => p.piece);
      const differ = a.join(' ') !== b.join(' ');
      // every line where the versions differ, and the first 40 with a user-defined symbol
      if (differ || (user.some((u) => text.includes(u)) && withUser++ < 40))
        console.log(JSON.stringify({ model: t.name, shift, text }));
    }
    for (const line of crafted) console.log(JSON.stringify({ model: t.name, shift, text: v02.preprocessText(line) }));
  }
}
