// Session options: the graph transformers skipped by default (SkipLayerNormFusion) really stay off in
// the graph onnxruntime runs, can be turned back on, and bad names are refused; the CPU arena switch.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@albertjs/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { randomIds, randomWeights } from '../bench/random-model.js';
import { createBackend, decodeModel, exportOnnx } from '../src/index.js';
import { type SessionConfig, sessionOptions } from '../src/runtime/ort.js';
import { tinyConfig } from './helpers.js';

const config = tinyConfig();
const head = 'AlbertModel';
const weights = randomWeights(head, config, 3);

/** Op types of the graph onnxruntime runs (its optimized model) for our optimized export under `c`. */
async function optimizedOps(c: SessionConfig, skipLayerNorm = false): Promise<string[]> {
  const { model } = await exportOnnx(head, config, weights, { flavour: 'optimized', skipLayerNorm });
  const path = join(mkdtempSync(join(tmpdir(), 'albertjs-opt-')), 'optimized.onnx');
  const session = await ort.InferenceSession.create(model, {
    ...sessionOptions(c),
    optimizedModelFilePath: path,
    logSeverityLevel: 3, // not the warning that optimized models are machine-specific
  });
  await session.release();
  return (decodeModel(readFileSync(path)).graph?.node ?? []).map((n) => n.opType!);
}

describe('session options', () => {
  it('skip SkipLayerNormFusion by default, and only that', () => {
    expect(sessionOptions({}).extra).toEqual({ optimization: { disable_specified_optimizers: 'SkipLayerNormFusion' } });
    expect(sessionOptions({ disabledOptimizers: [] }).extra).toBeUndefined();
    expect(sessionOptions({ disabledOptimizers: ['A', 'B_2'] }).extra).toEqual({
      optimization: { disable_specified_optimizers: 'A,B_2' },
    });
    expect(() => sessionOptions({ disabledOptimizers: ['a,b'] })).toThrow(InputError);
    expect(() => sessionOptions({ disabledOptimizers: ['a,b'] })).toThrow(
      /"a,b" is not an onnxruntime graph transformer/,
    );
  });

  it('keeps residual + LayerNorm unfused in the session by default; onnxruntime fuses them when allowed', async () => {
    const kept = await optimizedOps({ intraOpNumThreads: 1 });
    expect(kept).not.toContain('SkipLayerNormalization');
    expect(kept.filter((op) => op === 'LayerNormalization').length).toBe(
      2 * config.num_hidden_layers * config.inner_group_num,
    );
    const fused = await optimizedOps({ intraOpNumThreads: 1, disabledOptimizers: [] });
    expect(fused.filter((op) => op === 'SkipLayerNormalization').length).toBe(
      2 * config.num_hidden_layers * config.inner_group_num,
    );
    // skipLayerNorm: true writes the contrib op into the graph itself.
    const written = await optimizedOps({ intraOpNumThreads: 1 }, true);
    expect(written.filter((op) => op === 'SkipLayerNormalization').length).toBe(
      2 * config.num_hidden_layers * config.inner_group_num,
    );
  });

  it('passes the CPU arena switch and gives the same outputs without the arena', async () => {
    expect(sessionOptions({ enableCpuMemArena: false }).enableCpuMemArena).toBe(false);
    expect(sessionOptions({}).enableCpuMemArena).toBeUndefined();
    const ids = randomIds(config, 2, 5, 4);
    const outs = [];
    for (const enableCpuMemArena of [true, false]) {
      const b = await createBackend({ flavour: 'optimized', intraOpNumThreads: 1, enableCpuMemArena });
      const m = await b.loadModel(head, config, weights);
      outs.push((await m.forward({ input_ids: ids })).last_hidden_state.data);
      m.dispose();
    }
    expect(outs[1]).toEqual(outs[0]);
  });
});
