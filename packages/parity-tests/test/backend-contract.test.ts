// The backend contract, written once and run on every backend (tfjs cpu + wasm, onnx, webgpu): the same
// InputError / ConfigError / BackendError with the same message for the same fault, the same answers on
// edge inputs (masks, broadcast positions, head masks of any dtype, NaN), one attention policy and one
// dispose() policy. Reference semantics: transformers 5.17 (prepareInputs / resolveAttention in core).
import {
  AlbertConfig,
  type AlbertInputs,
  type AlbertModelHandle,
  BackendError,
  ConfigError,
  type HeadName,
  InputError,
  randomWeightMap,
  Tensor,
} from '@albertjs/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeBackends } from './describe-backends.js';

const config = new AlbertConfig({
  vocab_size: 50,
  embedding_size: 8,
  hidden_size: 16,
  num_hidden_layers: 4,
  num_hidden_groups: 2,
  inner_group_num: 1,
  num_attention_heads: 2,
  intermediate_size: 20,
  max_position_embeddings: 24,
  hidden_act: 'gelu',
  num_labels: 3,
});
const weights = (head: HeadName, c = config) => randomWeightMap(head, c, { seed: 7, style: 'perturbed' }).weights;

const ids = [
  [2, 5, 7, 9, 11, 3],
  [2, 8, 8, 3, 4, 6],
];
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

it('a Tensor with a negative dimension is refused at construction', () => {
  const e = (() => {
    try {
      return new Tensor('float32', new Float32Array(3), [-1, -3]);
    } catch (x) {
      return x;
    }
  })();
  expect(e).toBeInstanceOf(InputError);
  expect((e as Error).message).toBe('Tensor shape [-1, -3] has dimension -1: dimensions are integers ≥ 0');
});

describeBackends('backend contract', (b) => {
  let mlm: AlbertModelHandle<'AlbertForMaskedLM'>;
  let cls: AlbertModelHandle<'AlbertForSequenceClassification'>;
  let base: AlbertModelHandle<'AlbertModel'>;
  beforeAll(async () => {
    mlm = await b.backend.loadModel('AlbertForMaskedLM', config, weights('AlbertForMaskedLM'));
    cls = await b.backend.loadModel(
      'AlbertForSequenceClassification',
      config,
      weights('AlbertForSequenceClassification'),
    );
    base = await b.backend.loadModel('AlbertModel', config, weights('AlbertModel'), { attnImplementation: 'eager' });
  }, 120_000);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('bad inputs: the same InputError and message on every backend', () => {
    const embeds = (shape: number[]) => Tensor.f32(new Float32Array(shape.reduce((a, d) => a * d, 1)), shape);
    const cases: [string, () => AlbertInputs, string][] = [
      ['no ids', () => ({}), 'You must specify exactly one of input_ids or inputs_embeds'],
      [
        'both ids and embeds',
        () => ({ input_ids: ids, inputs_embeds: embeds([2, 6, 8]) }),
        'You must specify exactly one of input_ids or inputs_embeds',
      ],
      [
        'id >= vocab_size',
        () => ({ input_ids: [[1, 2, 50]] }),
        'input_ids[2] = 50 is out of range [0, 50) (vocab_size = 50)',
      ],
      ['negative id', () => ({ input_ids: [[1, -1]] }), 'input_ids[1] = -1 is out of range [0, 50) (vocab_size = 50)'],
      [
        'ids of rank 3',
        () => ({ input_ids: new Tensor('int64', new BigInt64Array(12), [2, 6, 1]) }),
        'AlbertForMaskedLM: input_ids must be [batch, seq], got shape [2, 6, 1]',
      ],
      [
        'float ids',
        () => ({ input_ids: new Tensor('float32', new Float32Array(12), [2, 6]) as never }),
        'input_ids must be int64 or int32, got dtype float32',
      ],
      [
        'seq > max_position_embeddings',
        () => ({ input_ids: [new Array(25).fill(3)] }),
        'sequence length 25 exceeds max_position_embeddings = 24',
      ],
      [
        'mask shape',
        () => ({ input_ids: ids, attention_mask: [[1, 1, 1]] }),
        'attention_mask has shape [1, 3], expected [2, 6] (the shape of the ids)',
      ],
      [
        'token types shape',
        () => ({ input_ids: ids, token_type_ids: [[0, 0, 0, 0, 0]] }),
        'token_type_ids has shape [1, 5], expected [2, 6] (the shape of the ids)',
      ],
      [
        'token type range',
        () => ({ input_ids: ids, token_type_ids: ids.map((r) => r.map(() => 2)) }),
        'token_type_ids[0] = 2 is out of range [0, 2) (type_vocab_size = 2)',
      ],
      [
        'position range',
        () => ({ input_ids: [[1, 2, 3]], position_ids: [[0, 1, 24]] }),
        'position_ids[2] = 24 is out of range [0, 24) (max_position_embeddings = 24)',
      ],
      [
        'position shape',
        () => ({ input_ids: ids, position_ids: [[0, 1, 2]] }),
        'position_ids has shape [1, 3], expected [2, 6] (the shape of the ids) or [1, 6]',
      ],
      [
        'embeds width',
        () => ({ inputs_embeds: embeds([2, 6, 7]) }),
        'AlbertForMaskedLM: inputs_embeds must be [batch, seq, 8] (embedding_size), got [2, 6, 7]',
      ],
      [
        'embeds dtype',
        () => ({ inputs_embeds: new Tensor('float64', new Float64Array(96), [2, 6, 8]) as never }),
        'inputs_embeds must be a float32 Tensor, got dtype float64',
      ],
      [
        'embeds with a negative dimension (structural tensor)',
        () => ({ inputs_embeds: { dtype: 'float32', data: new Float32Array(24), shape: [-1, -3, 8] } as never }),
        'inputs_embeds has shape [-1, -3, 8]: dimension -1 is not an integer ≥ 0',
      ],
      ['empty batch', () => ({ input_ids: embedsIds([0, 6]) }), 'inputs have an empty dimension: shape [0, 6]'],
      [
        'head_mask shape',
        () => ({ input_ids: ids, head_mask: Tensor.f32([1, 1, 1], [3]) }),
        'head_mask must be [2] (num_attention_heads) or [4, 2] (num_hidden_layers, num_attention_heads), got [3]',
      ],
      [
        'MLM float labels',
        () => ({ input_ids: ids, labels: Tensor.f32(new Float32Array(12), [2, 6]) }),
        'AlbertForMaskedLM: labels must be integer class ids (int64/int32) (one per token, [2, 6]), got dtype float32',
      ],
      [
        'MLM label count',
        () => ({ input_ids: ids, labels: [[1, 2]] }),
        'AlbertForMaskedLM: labels has 2 elements (shape [1, 2]), expected 12 (one per token, [2, 6])',
      ],
      [
        'MLM label range',
        () => ({ input_ids: ids, labels: ids.map((r) => r.map(() => 77)) }),
        'labels[0] = 77 is out of range [0, 50) (use -100 to ignore a position)',
      ],
    ];
    it.each(cases)('%s', async (_n, inputs, message) => {
      const e = await rejection(mlm.forward(inputs()));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toBe(message);
    });

    it('sequence-classification labels', async () => {
      const e1 = await rejection(cls.forward({ input_ids: ids, labels: Tensor.f32([0.5, 1], [2]) }));
      expect(e1).toBeInstanceOf(InputError);
      expect(e1.message).toBe(
        'AlbertForSequenceClassification: labels have shape [2], expected [2, 3] for multi_label_classification',
      );
      const e2 = await rejection(cls.forward({ input_ids: ids, labels: [7, 0] }));
      expect(e2).toBeInstanceOf(InputError);
      expect(e2.message).toBe('labels[0] = 7 is out of range [0, 3) (use -100 to ignore a position)');
      const ok = await cls.forward({ input_ids: ids, labels: [2, 0] });
      expect(ok.logits.shape).toEqual([2, 3]);
      expect(Number.isFinite(ok.loss!.data[0]!)).toBe(true);
    });
  });

  describe('one policy for load options', () => {
    it('attnImplementation other than eager / sdpa: ConfigError at load and at forward', async () => {
      const e = await rejection(
        b.backend.loadModel('AlbertModel', config, weights('AlbertModel'), { attnImplementation: 'flash' as 'sdpa' }),
      );
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toBe('attnImplementation must be "eager" or "sdpa", got "flash"');
      const f = await rejection(base.forward({ input_ids: ids }, { attnImplementation: 'flash' as 'sdpa' }));
      expect(f).toBeInstanceOf(ConfigError);
      expect(f.message).toBe('attnImplementation must be "eager" or "sdpa", got "flash"');
    });
    it('an unsupported dtype: ConfigError naming it', async () => {
      const e = await rejection(b.backend.loadModel('AlbertModel', config, weights('AlbertModel'), { dtype: 'int4' }));
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toMatch(/^dtype = "int4": @albertjs\/(tfjs|onnx|webgpu) supports "float32"/);
    });
  });

  describe('edge inputs give the answers transformers gives', () => {
    it('attention_mask values other than 0/1 attend (transformers turns the mask into bool)', async () => {
      const mask = [
        [1, 1, 1, 1, 0, 0],
        [1, 1, 1, 1, 1, 0],
      ];
      const odd = [
        [2, 1, -1, 7, 0, 0],
        [1, 3, 1, 1, 1, 0],
      ];
      const a = await base.forward({ input_ids: ids, attention_mask: mask });
      const o = await base.forward({ input_ids: ids, attention_mask: odd });
      expect(maxAbs(a.last_hidden_state.data, o.last_hidden_state.data)).toBeLessThan(1e-6);
      const none = await base.forward({ input_ids: ids });
      expect(maxAbs(a.last_hidden_state.data, none.last_hidden_state.data)).toBeGreaterThan(1e-3); // the mask matters
    });

    it('position_ids [1, S] broadcast over the batch', async () => {
      const row = [5, 4, 3, 2, 1, 0];
      const a = await base.forward({ input_ids: ids, position_ids: [row] });
      const full = await base.forward({ input_ids: ids, position_ids: [row, row] });
      expect(maxAbs(a.last_hidden_state.data, full.last_hidden_state.data)).toBe(0);
    });

    it('head_mask of any numeric dtype is cast to float32; eager applies it', async () => {
      const f = await base.forward({ input_ids: ids, head_mask: Tensor.f32([1, 0], [2]) });
      const i64 = await base.forward({ input_ids: ids, head_mask: Tensor.i64([1, 0], [2]) });
      const i32 = await base.forward({ input_ids: ids, head_mask: new Tensor('int32', Int32Array.of(1, 0), [2]) });
      expect(maxAbs(f.last_hidden_state.data, i64.last_hidden_state.data)).toBe(0);
      expect(maxAbs(f.last_hidden_state.data, i32.last_hidden_state.data)).toBe(0);
      const plain = await base.forward({ input_ids: ids });
      expect(maxAbs(f.last_hidden_state.data, plain.last_hidden_state.data)).toBeGreaterThan(1e-3);
      const zeros = await base.forward(
        { input_ids: ids, head_mask: Tensor.f32([0, 0], [2]) },
        { outputAttentions: true },
      );
      expect(Math.max(...zeros.attentions![0]!.data.map(Math.abs))).toBe(0);
    });

    it('sdpa ignores head_mask with one warning per model, and runs eager for outputAttentions', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const m = await b.backend.loadModel('AlbertModel', config, weights('AlbertModel'), {
        attnImplementation: 'sdpa',
      });
      const plain = await m.forward({ input_ids: ids });
      const hm = { input_ids: ids, head_mask: Tensor.f32([0, 0], [2]) };
      const a = await m.forward(hm);
      await m.forward(hm);
      expect(maxAbs(a.last_hidden_state.data, plain.last_hidden_state.data)).toBeLessThan(1e-5);
      const headMaskWarnings = warn.mock.calls.filter((c) => /head_mask is ignored/.test(String(c[0])));
      expect(headMaskWarnings.length).toBe(1);
      const att = await m.forward({ input_ids: ids }, { outputAttentions: true });
      expect(att.attentions!.length).toBe(4);
      expect(att.attentions![0]!.shape).toEqual([2, 2, 6, 6]);
      expect(maxAbs(att.last_hidden_state.data, plain.last_hidden_state.data)).toBeLessThan(1e-5);
      m.dispose();
    });

    it('config.output_hidden_states / output_attentions are the defaults of the call options', async () => {
      const c = new AlbertConfig({ ...config.toJSON(), output_hidden_states: true, output_attentions: true });
      const m = await b.backend.loadModel('AlbertModel', c, weights('AlbertModel', c), { attnImplementation: 'eager' });
      const out = await m.forward({ input_ids: ids });
      expect(out.hidden_states?.length).toBe(5);
      expect(out.attentions?.length).toBe(4);
      const off = await m.forward({ input_ids: ids }, { outputHiddenStates: false, outputAttentions: false });
      expect(off.hidden_states).toBeUndefined();
      expect(off.attentions).toBeUndefined();
      m.dispose();
    });

    it('a NaN in inputs_embeds propagates to its batch row (as torch), the other row stays finite', async () => {
      const e = new Float32Array(2 * 6 * 8).map((_, i) => Math.sin(i));
      e[3] = Number.NaN; // row 0, token 0
      const out = await base.forward({ inputs_embeds: Tensor.f32(e, [2, 6, 8]) });
      const H = 16;
      const row0 = out.last_hidden_state.data.subarray(0, 6 * H);
      const row1 = out.last_hidden_state.data.subarray(6 * H);
      expect(row0.every((v) => Number.isNaN(v))).toBe(true);
      expect(row1.every((v) => Number.isFinite(v))).toBe(true);
      expect(Number.isNaN(out.pooler_output!.data[0]!)).toBe(true);
      expect(Number.isFinite(out.pooler_output!.data[H]!)).toBe(true);
    });
  });

  describe('dispose()', () => {
    it('forwards called before dispose() finish; calls after it reject with one BackendError', async () => {
      const m = await b.backend.loadModel('AlbertModel', config, weights('AlbertModel'));
      const ref = await m.forward({ input_ids: ids });
      const pending = [1, 2, 3].map(() => m.forward({ input_ids: ids }));
      m.dispose();
      for (const r of await Promise.all(pending))
        expect(maxAbs(r.last_hidden_state.data, ref.last_hidden_state.data)).toBe(0);
      const e = await rejection(m.forward({ input_ids: ids }));
      expect(e).toBeInstanceOf(BackendError);
      expect(e.message).toBe(
        `AlbertModel on ${b.name.replace(/-.*/, '')} was disposed: dispose() released its weights; load the model again`,
      );
      m.dispose(); // twice is harmless
    });
  });
});

function embedsIds(shape: number[]): Tensor<BigInt64Array> {
  return new Tensor('int64', new BigInt64Array(shape.reduce((a, d) => a * d, 1)), shape);
}
