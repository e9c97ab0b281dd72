// The README example: `node --conditions=@albertjs/source --import tsx examples/readme.ts [tokenizer folder]` (in this package).
import { AlbertTokenizerFast } from '@albertjs/tokenizer';

const tok = await AlbertTokenizerFast.fromPretrained(
  process.argv[2] ?? '../parity-tests/fixtures/hf/tokenizers/spm-en-1000',
);
const enc = tok.call('Café naïve résumé!', { returnOffsetsMapping: true });
console.log(enc.input_ids);
console.log(tok.convertIdsToTokens(enc.input_ids));
console.log(JSON.stringify(enc.offset_mapping));
const qa = tok.call('what does the window keep?', {
  textPair: 'A long context ... '.repeat(20),
  truncation: 'only_second',
  maxLength: 40,
  stride: 8,
  returnOverflowingTokens: true,
  padding: 'max_length',
  returnTensors: 'int64',
});
console.log(qa.input_ids, qa.overflow_to_sample_mapping);
console.log(tok.decode(enc.input_ids, { skipSpecialTokens: true }));
