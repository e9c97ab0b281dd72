// The question-answering pipeline looks at the whole context: with a 5,000-token context whose answer is its last
// word, the doc_stride windows must reach the end (complete overflow windows; with the tokenizers 0.23.2 early stop
// they stopped at the first window). The model is a test double with a known answer: its start and end logits are
// high on the marker token and flat elsewhere, so the pipeline's answer is the marker if and only if some window
// holds it. Real tokenizer (spm-en-1000 fixture), real config and weights loading, real post-processing.
import {
  type AlbertInputs,
  type AlbertModelHandle,
  type Backend,
  type HeadName,
  Tensor,
  toInt32Ids,
} from '@albertjs/core';
import { listCases, listTokenizers } from '@albertjs/parity-tests';
import { loadTokenizer, pipeline } from '@albertjs/pipelines';
import { expect, it } from 'vitest';

const tokDir = listTokenizers().find((t) => t.name === 'spm-en-1000')!.dir;
const modelDir = listCases().find((c) => c.config === 'groups' && c.head === 'AlbertForQuestionAnswering')!.modelPath;

/** A backend whose QA model puts its start and end logits on every `marker` token of the input. */
function markerBackend(marker: number): Backend {
  return {
    name: 'marker',
    describe: async () => 'test double: logits on one token id',
    async loadModel<H extends HeadName>(head: H, config: AlbertModelHandle['config']) {
      const handle = {
        head,
        config,
        backend: 'marker',
        async forward(inputs: AlbertInputs) {
          const ids = toInt32Ids('input_ids', inputs.input_ids!); // [B, S]
          const [B, S] = ids.shape as [number, number];
          const logits = new Float32Array(B * S); // [B, S]
          for (let i = 0; i < B * S; i++) logits[i] = ids.data[i] === marker ? 10 : 0;
          return {
            start_logits: new Tensor('float32', logits, [B, S]),
            end_logits: new Tensor('float32', logits.slice(), [B, S]),
          };
        },
        dispose() {},
      };
      return handle as unknown as AlbertModelHandle<H>;
    },
  };
}

it('question-answering finds the answer at the end of a 5,000-token context', async () => {
  const tokenizer = await loadTokenizer(tokDir);
  const filler = 'the river runs far from the town, and people walk there in the summer. ';
  // A word that is one token and never in the filler.
  const word = ['turtle', 'widget', 'license', 'header', 'python'].find((w) => {
    const ids = tokenizer.encodeIds(` ${w}`);
    return ids.length === 1 && !tokenizer.encodeIds(filler).includes(ids[0]!);
  })!;
  const marker = tokenizer.encodeIds(` ${word}`)[0]!;
  let context = '';
  while (tokenizer.encodeIds(context).length < 5000) context += filler;
  context += `the answer is ${word}`;
  const contextTokens = tokenizer.encodeIds(context).length;
  expect(contextTokens).toBeGreaterThan(5000);

  const p = await pipeline('question-answering', modelDir, { backend: markerBackend(marker), tokenizer });
  const got = (await p.run({ question: 'what is the answer?', context })) as {
    answer: string;
    start: number;
    end: number;
  };
  expect(got.answer).toBe(word);
  expect(got.start).toBe(context.length - word.length);
  expect(got.end).toBe(context.length);
  p.dispose();
});
