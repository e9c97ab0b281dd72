// The transformers call API on a small BERT vocabulary written here (no fixture needed): padding sides and
// multiples, truncation windows, typed tensors, lengths, decoding helpers, WordPiece and BERT basic tokenization.
import { describe, expect, it } from 'vitest';
import { BertTokenizer, TokenizerInputError } from '../src/index.js';
import { PrecompiledCharsmap } from '../src/sentencepiece/charsmap.js';

const vocab = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  'the',
  'cat',
  'sat',
  'on',
  'mat',
  '.',
  'un',
  '##believ',
  '##able',
  '你',
  '好',
];
const tok = new BertTokenizer(`${vocab.join('\n')}\n`);
const id = (t: string) => vocab.indexOf(t);

describe('call API', () => {
  it('single text, pair, batch, special-token helpers', () => {
    expect(tok.tokenize('The cat sat. Unbelievable 你好')).toEqual([
      'the',
      'cat',
      'sat',
      '.',
      'un',
      '##believ',
      '##able',
      '你',
      '好',
    ]);
    expect(tok.encode('the cat')).toEqual([2, id('the'), id('cat'), 3]);
    expect(tok.call('the', { textPair: 'cat', returnTokenTypeIds: true, returnSpecialTokensMask: true })).toMatchObject(
      {
        input_ids: [2, 5, 3, 6, 3],
        token_type_ids: [0, 0, 0, 1, 1],
        special_tokens_mask: [1, 0, 1, 0, 1],
      },
    );
    // an empty text_pair is no pair, as in transformers
    expect(tok.call(['the', 'cat'], { textPair: ['', 'mat'] }).input_ids).toEqual([
      [2, 5, 3],
      [2, 6, 3, 9, 3],
    ]);
    expect(tok.buildInputsWithSpecialTokens([5], [6])).toEqual([2, 5, 3, 6, 3]);
    expect(tok.getSpecialTokensMask([5], [6])).toEqual([1, 0, 1, 0, 1]);
    expect(tok.createTokenTypeIdsFromSequences([5], [6])).toEqual([0, 0, 0, 1, 1]);
    expect(tok.convertTokensToIds(['cat', 'dog'])).toEqual([6, 1]);
    expect(tok.convertIdsToTokens([2, 6, 3], true)).toEqual(['cat']);
    expect(
      tok.batchDecode(
        [
          [2, 5, 6, 3],
          [2, 11, 12, 13, 3],
        ],
        { skipSpecialTokens: true },
      ),
    ).toEqual(['the cat', 'unbelievable']);
  });

  it('padding right and left, to a multiple, and lengths', () => {
    const r = tok.call(['the cat sat', 'the'], { padding: true, padToMultipleOf: 8, returnLength: true });
    expect(r.input_ids).toEqual([
      [2, 5, 6, 7, 3, 0, 0, 0],
      [2, 5, 3, 0, 0, 0, 0, 0],
    ]);
    expect(r.attention_mask).toEqual([
      [1, 1, 1, 1, 1, 0, 0, 0],
      [1, 1, 1, 0, 0, 0, 0, 0],
    ]);
    expect(r.length).toEqual([8, 8]);
    const l = tok.call(['the cat', 'the'], { padding: 'max_length', maxLength: 6, paddingSide: 'left' });
    expect(l.input_ids).toEqual([
      [0, 0, 2, 5, 6, 3],
      [0, 0, 0, 2, 5, 3],
    ]);
  });

  it('truncation strategies and stride windows with overflow_to_sample_mapping', () => {
    const text = 'the cat sat on the mat .';
    expect(tok.call(text, { truncation: true, maxLength: 5 }).input_ids).toEqual([2, 5, 6, 7, 3]);
    const w = tok.call([text, 'the'], {
      truncation: true,
      maxLength: 6,
      stride: 1,
      returnOverflowingTokens: true,
      padding: 'max_length',
    });
    expect(w.input_ids).toEqual([
      [2, 5, 6, 7, 8, 3],
      [2, 8, 5, 9, 10, 3],
      [2, 5, 3, 0, 0, 0],
    ]);
    expect(w.overflow_to_sample_mapping).toEqual([0, 0, 1]);
    expect(
      tok.call('the cat sat', { textPair: 'on the mat', truncation: 'only_second', maxLength: 8 }).input_ids,
    ).toEqual([2, 5, 6, 7, 3, 8, 5, 3]);
    expect(() => tok.call('the cat sat', { textPair: 'on the mat', truncation: 'only_second', maxLength: 6 })).toThrow(
      /Sequence to truncate too short to respect the provided max_length/,
    );
    expect(
      tok.call('the cat sat', { textPair: 'on the mat', truncation: 'longest_first', maxLength: 7 }).input_ids,
    ).toEqual([2, 5, 6, 3, 8, 5, 3]);
    expect(tok.call('the cat sat', { truncationSide: 'left', truncation: true, maxLength: 4 }).input_ids).toEqual([
      2, 6, 7, 3,
    ]);
  });

  it('typed tensors for the backends: int64 and int32 with shapes', () => {
    const r = tok.call(['the cat', 'the'], { padding: true, returnTensors: 'int64', returnTokenTypeIds: true });
    const ids = r.input_ids;
    expect(ids.dtype).toBe('int64');
    expect(ids.shape).toEqual([2, 4]);
    expect(Array.from(ids.data)).toEqual([2n, 5n, 6n, 3n, 2n, 5n, 3n, 0n]);
    const m = tok.call(['the cat'], { returnTensors: 'int32' }).attention_mask!;
    expect(m.data).toBeInstanceOf(Int32Array);
    expect(m.shape).toEqual([1, 4]);
    expect(tok.decode(ids.data.subarray(0, 4), { skipSpecialTokens: true })).toBe('the cat');
  });

  it('reports bad inputs and bad charsmaps with the value', () => {
    expect(() => tok.call(42 as unknown as string)).toThrow(/input 0 is number \(42\), expected a string/);
    expect(() => tok.call('a', { maxLength: -1, truncation: true })).toThrow(TokenizerInputError);
    expect(() => tok.convertIdsToTokens([99])).toThrow(/id 99 is outside the vocabulary \(size 16\)/);
    expect(() => new PrecompiledCharsmap(new Uint8Array([1, 2]))).toThrow(/2 bytes, shorter than its 4-byte header/);
    expect(() => new PrecompiledCharsmap(new Uint8Array([0, 1, 0, 0, 9, 9]))).toThrow(
      /declares a 256-byte trie but holds 2 bytes/,
    );
  });
});
