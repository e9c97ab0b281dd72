// The public API as transformers.js users expect it: pipelines are callable (`await fill(text)` = `fill.run(text)`)
// and an option spelt the Python way (`top_k`, `max_length`, `return_tensors`) or misspelt is an error naming it
// and its camelCase spelling — in pipeline(), in every task pipeline's call, in the tokenizer's call and decode.
import { createBackend } from '@albertjs/onnx';
import { listCases, listTokenizers } from '@albertjs/parity-tests';
import {
  FeatureExtractionPipeline,
  FillMaskPipeline,
  loadTokenizer,
  type PipelineTokenizer,
  pipeline,
  TASK_NAMES,
} from '@albertjs/pipelines';
import { AlbertTokenizerFast, TokenizerInputError } from '@albertjs/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tokDir = listTokenizers().find((t) => t.name === 'spm-en-1000')!.dir;
const modelDir = (head: string) => listCases().find((c) => c.config === 'groups' && c.head === head)!.modelPath;
const backend = await createBackend();
let tokenizer: PipelineTokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer(tokDir);
});
afterAll(() => backend.dispose?.());

/** One input and one option of every task (the option's Python spelling). */
const INPUTS: Record<string, { head: string; input: unknown; snake: [string, string, unknown] }> = {
  'fill-mask': { head: 'AlbertForMaskedLM', input: 'the [MASK] of the world.', snake: ['top_k', 'topK', 2] },
  'text-classification': {
    head: 'AlbertForSequenceClassification',
    input: 'a good day',
    snake: ['function_to_apply', 'functionToApply', 'softmax'],
  },
  'token-classification': {
    head: 'AlbertForTokenClassification',
    input: 'the king of the world',
    snake: ['aggregation_strategy', 'aggregationStrategy', 'simple'],
  },
  'question-answering': {
    head: 'AlbertForQuestionAnswering',
    input: { question: 'who is the king?', context: 'the king of the world is here.' },
    snake: ['max_answer_len', 'maxAnswerLen', 5],
  },
  'multiple-choice': {
    head: 'AlbertForMultipleChoice',
    input: { question: 'the sun rises in the', choices: ['east', 'west'] },
    snake: ['top_k', 'topK', 1],
  },
  'feature-extraction': { head: 'AlbertModel', input: 'a good day', snake: ['pooling_mode', 'pooling', 'mean'] },
  'sentence-order': {
    head: 'AlbertForPreTraining',
    input: { text: 'she opened the door.', text_pair: 'then she walked in.' },
    snake: ['top_k', 'topK', 1],
  },
};

describe.each(TASK_NAMES)('%s pipeline', (task) => {
  const spec = INPUTS[task]!;
  it('is callable: pipe(input) gives what pipe.run(input) gives', async () => {
    const pipe = await pipeline(task, modelDir(spec.head), { backend, tokenizer });
    try {
      expect(typeof pipe).toBe('function');
      const run = pipe.run as (x: unknown) => Promise<unknown>;
      const call = pipe as unknown as (x: unknown) => Promise<unknown>;
      expect(await call(spec.input)).toEqual(await run.call(pipe, spec.input));
    } finally {
      pipe.dispose();
    }
  });

  it('an unknown option is an InputError naming it', async () => {
    const pipe = await pipeline(task, modelDir(spec.head), { backend, tokenizer });
    try {
      const [bad, good, value] = spec.snake;
      const call = pipe as unknown as (x: unknown, o: unknown) => Promise<unknown>;
      const known = Object.keys((pipe as unknown as { knownOptions: object }).knownOptions);
      const hint = known.includes(good) && bad.replace(/_(\w)/g, (_m, c) => c.toUpperCase()) === good;
      await expect(call(spec.input, { [bad]: value })).rejects.toThrow(
        hint
          ? `${task} pipeline: unknown option ${bad} — did you mean ${good}?`
          : `${task} pipeline: unknown option ${bad} (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    } finally {
      pipe.dispose();
    }
  });
});

describe('callable pipelines keep their class', () => {
  it('instanceof, task, ctx and run stay as on the class', async () => {
    const fill = await pipeline('fill-mask', modelDir('AlbertForMaskedLM'), { backend, tokenizer });
    expect(fill).toBeInstanceOf(FillMaskPipeline);
    expect(fill).not.toBeInstanceOf(FeatureExtractionPipeline);
    expect(fill.task).toBe('fill-mask');
    expect(fill.ctx.tokenizer).toBe(tokenizer);
    const results = await fill(['a [MASK] day', 'the [MASK] of the world.'], { topK: 3 });
    expect(results).toEqual(await fill.run(['a [MASK] day', 'the [MASK] of the world.'], { topK: 3 }));
    fill.dispose();
  });
});

describe('pipeline() options', () => {
  it.each([
    ['batch_size', 'batchSize'],
    ['max_length', 'maxLength'],
    ['attn_implementation', 'attnImplementation'],
  ])('%s → did you mean %s?', async (bad, good) => {
    await expect(pipeline('fill-mask', modelDir('AlbertForMaskedLM'), { backend, [bad]: 1 } as never)).rejects.toThrow(
      `pipeline("fill-mask"): unknown option ${bad} — did you mean ${good}?`,
    );
  });
});

describe('tokenizer options', () => {
  it.each([
    ['return_tensors', 'returnTensors', 'int64'],
    ['max_length', 'maxLength', 8],
    ['add_special_tokens', 'addSpecialTokens', false],
    ['text_pair', 'textPair', 'b'],
  ])('call(text, { %s }) → did you mean %s?', async (bad, good, value) => {
    const tok = await AlbertTokenizerFast.fromPretrained(tokDir);
    const call = () => tok.call('a good day', { [bad]: value } as never);
    expect(call).toThrow(TokenizerInputError);
    expect(call).toThrow(`tokenizer call: unknown option ${bad} — did you mean ${good}?`);
    expect(() => tok.encode('a good day', { [bad]: value } as never)).toThrow(`unknown option ${bad}`);
  });
  it('decode(ids, { skip_special_tokens }) → did you mean skipSpecialTokens?', async () => {
    const tok = await AlbertTokenizerFast.fromPretrained(tokDir);
    expect(() => tok.decode([2, 3], { skip_special_tokens: true } as never)).toThrow(
      'decode: unknown option skip_special_tokens — did you mean skipSpecialTokens?',
    );
  });
});
