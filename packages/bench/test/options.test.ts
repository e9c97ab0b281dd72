import { InputError } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { GRIDS, gridByName, parseBackendList, parseBenchArgs, shellJoin, validateGrid } from '../src/index.js';

describe('parseBenchArgs', () => {
  it('reads the albert bench flags', () => {
    const p = parseBenchArgs([
      'infer',
      '--backend',
      'tfjs,onnx',
      '--model',
      'albert-base-v2',
      '--dtype',
      'int8',
      '--grid',
      'seed',
      '--attn',
      'sdpa',
      '--warmup',
      '0',
      '--iterations',
      '7',
      '--max-cell-seconds',
      '2.5',
      '--min-iterations',
      '2',
      '--seed',
      '3',
      '--compare-onnx',
      'm.onnx',
      '--compare-threads',
      '1',
      '--infer-head',
      'AlbertForMaskedLM',
      '--out',
      'bench-results',
      '--format',
      'json',
      '--in-process',
      '--backend-timeout',
      '60',
      '--backend-option',
      'tfjs.runtime=cpu',
      '--backend-option',
      'tfjs.wasmThreads=2',
      '--batch',
      '1,8',
      '--seq',
      '128',
    ]);
    expect(p.options).toEqual({
      modes: ['infer'],
      backends: ['tfjs', 'onnx'],
      model: 'albert-base-v2',
      dtype: 'int8',
      grid: 'seed',
      attn: ['sdpa'],
      warmup: 0,
      iterations: 7,
      maxCellSeconds: 2.5,
      minIterations: 2,
      seed: 3,
      compareOnnx: 'm.onnx',
      compareThreads: 1,
      inferHead: 'AlbertForMaskedLM',
      isolate: false,
      backendTimeoutSeconds: 60,
      backendOptions: { tfjs: { runtime: 'cpu', wasmThreads: 2 } },
      batch: [1, 8],
      seq: [128],
    });
    expect(p.out).toBe('bench-results');
    expect(p.format).toBe('json');
  });

  it('defaults to both modes, Markdown and every backend', () => {
    const p = parseBenchArgs([]);
    expect(p.options.modes).toEqual(['train', 'infer']);
    expect(p.options.backends).toBeUndefined();
    expect(p.format).toBe('md');
    expect(parseBenchArgs(['--attn', 'both']).options.attn).toEqual(['eager', 'sdpa']);
  });

  it('rejects bad values with the flag and the value in the message', () => {
    expect(() => parseBenchArgs(['fly'])).toThrow(/bench mode "fly"/);
    expect(() => parseBenchArgs(['--dtype', 'f64'])).toThrow(/--dtype "f64"/);
    expect(() => parseBenchArgs(['--grid', 'huge'])).toThrow(/unknown grid "huge"/);
    expect(() => parseBenchArgs(['--backend', 'cuda'])).toThrow(/unknown backend "cuda"/);
    expect(() => parseBenchArgs(['--attn', 'flash'])).toThrow(/--attn "flash"/);
    expect(() => parseBenchArgs(['--iterations', '0'])).toThrow(/--iterations "0"/);
    expect(() => parseBenchArgs(['--seq', '128,x'])).toThrow(/--seq "x"/);
    expect(() => parseBenchArgs(['--max-cell-seconds=-1'])).toThrow(/--max-cell-seconds "-1"/);
    expect(() => parseBenchArgs(['--compare-threads', 'x'])).toThrow(/--compare-threads "x"/);
    expect(() => parseBenchArgs(['--min-iterations', '0'])).toThrow(/--min-iterations "0"/);
    expect(() => parseBenchArgs(['--train-head', 'BertModel'])).toThrow(/--train-head "BertModel"/);
    expect(() => parseBenchArgs(['train', 'infer'])).toThrow(InputError);
    expect(() => parseBenchArgs(['--nope'])).toThrow();
    expect(() => parseBenchArgs(['--backend-option', 'runtime=cpu'])).toThrow(/--backend-option "runtime=cpu"/);
    expect(() => parseBenchArgs(['--backend-option', 'cuda.x=1'])).toThrow(/unknown backend "cuda"/);
  });
});

describe('grids', () => {
  it('seed is the documentation grid', () => {
    expect(GRIDS.seed.train).toMatchObject({ batch: [2, 4, 8], seq: [256, 512], iterations: 100 });
    expect(GRIDS.seed.infer).toMatchObject({ batch: [4, 8, 16], seq: [128, 256, 512], iterations: 50 });
  });

  it('rejects sequence lengths past max_position_embeddings, naming both', () => {
    expect(() => validateGrid(gridByName('seed'), 256)).toThrow(
      /seq has 512, longer than the model's max_position_embeddings = 256/,
    );
    expect(() => validateGrid({ ...GRIDS.smoke, infer: { ...GRIDS.smoke.infer, batch: [0] } }, 64)).toThrow(
      /infer.batch has 0/,
    );
  });

  it('parses backend lists', () => {
    expect(parseBackendList(['all'])).toEqual(['tfjs', 'onnx', 'webgpu']);
    expect(parseBackendList(['webgpu', 'tfjs,webgpu'])).toEqual(['webgpu', 'tfjs']);
  });
});

describe('shellJoin (the command recorded in every output)', () => {
  it('quotes only what a shell would split or expand', () => {
    expect(shellJoin(['albert', 'bench', '--model', './my model', "it's", '--seq=128,256'])).toBe(
      `albert bench --model './my model' 'it'\\''s' --seq=128,256`,
    );
  });
});
