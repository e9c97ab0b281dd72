import { InputError, Tensor } from '@albertjs/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TfjsAlbertModel } from '../src/index.js';
import { cpuBackend, ids, tinyConfig, tinyModel } from './helpers.js';

describe('bad inputs give InputErrors that name the value', () => {
  let mlm: TfjsAlbertModel<'AlbertForMaskedLM'>;
  let cls: TfjsAlbertModel<'AlbertForSequenceClassification'>;
  const c = tinyConfig();
  beforeAll(async () => {
    const b = await cpuBackend();
    mlm = await tinyModel(b, 'AlbertForMaskedLM');
    cls = await tinyModel(b, 'AlbertForSequenceClassification', tinyConfig({ num_labels: 3 }));
  });
  const x = ids(2, 6, c.vocab_size);
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['id >= vocab_size', () => mlm.forward({ input_ids: [[1, 2, 50]] }), /input_ids\[2\] = 50 .*vocab_size = 50/],
    ['negative id', () => mlm.forward({ input_ids: [[1, -1]] }), /input_ids\[1\] = -1/],
    [
      'seq > max_position_embeddings',
      () => mlm.forward({ input_ids: ids(1, 25, 50) }),
      /sequence length 25 exceeds max_position_embeddings = 24/,
    ],
    [
      'mask shape',
      () => mlm.forward({ input_ids: x, attention_mask: [[1, 1, 1]] }),
      /attention_mask has shape \[1, 3\] .*\[2, 6\]/,
    ],
    [
      'token types shape',
      () => mlm.forward({ input_ids: x, token_type_ids: ids(2, 5, 2) }),
      /token_type_ids has shape \[2, 5\]/,
    ],
    [
      'token type range',
      () => mlm.forward({ input_ids: x, token_type_ids: ids(2, 6, 1).map((r) => r.map(() => 2)) }),
      /token_type_ids\[0\] = 2/,
    ],
    [
      'position range',
      () => mlm.forward({ input_ids: x, position_ids: [[0, 1, 2, 3, 4, 24]] }),
      /position_ids\[5\] = 24/,
    ],
    [
      'MLM float labels',
      () => mlm.forward({ input_ids: x, labels: Tensor.f32(new Float32Array(12), [2, 6]) }),
      /labels must be integer class ids.*float32/,
    ],
    ['MLM label count', () => mlm.forward({ input_ids: x, labels: [[1, 2]] }), /labels has 2 elements/],
    [
      'MLM label range',
      () => mlm.forward({ input_ids: x, labels: x.map((r) => r.map(() => 77)) }),
      /labels\[0\] = 77 is out of range \[0, 50\)/,
    ],
    [
      'classifier float labels',
      () => cls.forward({ input_ids: x, labels: Tensor.f32([0.5, 1], [2]) }),
      /labels have shape \[2\], expected \[2, 3\] for multi_label_classification/,
    ],
    [
      'both ids and embeds',
      () => mlm.forward({ input_ids: x, inputs_embeds: Tensor.f32(new Float32Array(96), [2, 6, 8]) }),
      /either input_ids or inputs_embeds/,
    ],
    [
      'embeds width',
      () => mlm.forward({ inputs_embeds: Tensor.f32(new Float32Array(84), [2, 6, 7]) }),
      /embedding_size.*\[2, 6, 7\]/,
    ],
    [
      'head_mask shape',
      () => mlm.forward({ input_ids: x, head_mask: Tensor.f32([1, 1, 1], [3]) }),
      /head_mask must be \[4\] .* got \[3\]/,
    ],
    ['no ids', () => mlm.forward({}), /give input_ids or inputs_embeds/],
  ];
  it.each(cases)('%s', async (_n, f, re) => {
    const e = await f().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(re);
  });
});
