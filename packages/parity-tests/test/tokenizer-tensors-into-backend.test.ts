// Tensors from @albertjs/tokenizer (`returnTensors`) feed every backend directly, although the tokenizer
// does not depend on core: core's Tensor accepts any structurally valid { dtype, data, shape }.
import { bindWeights, readCheckpointDir, Tensor, toInt32Ids } from '@albertjs/core';
import { createBackend } from '@albertjs/tfjs';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { describe, expect, it } from 'vitest';
import { listCases, listTokenizers } from '../src/index.js';

describe('tokenizer tensors are core Tensors', () => {
  it('instanceof is structural and size-checked', () => {
    expect({ dtype: 'int64', data: BigInt64Array.of(1n, 2n), shape: [1, 2] } instanceof Tensor).toBe(true);
    expect({ dtype: 'int64', data: BigInt64Array.of(1n, 2n), shape: [1, 3] } instanceof Tensor).toBe(false);
    expect({ dtype: 'int64', data: [1, 2], shape: [1, 2] } instanceof Tensor).toBe(false);
    expect((null as unknown) instanceof Tensor).toBe(false);
  });

  it('AlbertTokenizerFast(returnTensors) → tfjs AlbertModel gives the same output as number[][] ids', async () => {
    const tok = await AlbertTokenizerFast.fromPretrained(listTokenizers().find((t) => t.name === 'spm-en-1000')!.dir);
    const enc = tok.call(['Hello world, this is ALBERT.', 'Short.'], { padding: 'longest', returnTensors: 'int64' });
    const ids = enc.input_ids as unknown as Tensor<BigInt64Array>;
    expect(ids instanceof Tensor).toBe(true);
    const c = listCases().find((x) => x.id === 'tiny__AlbertModel__eager')!;
    const { config, tensors } = await readCheckpointDir(c.modelPath);
    const backend = await createBackend({ runtime: 'cpu' });
    const model = await backend.loadModel('AlbertModel', config, bindWeights('AlbertModel', config, tensors).weights);
    try {
      const a = await model.forward({
        input_ids: ids,
        attention_mask: enc.attention_mask as unknown as Tensor<BigInt64Array>,
      });
      const plainIds = toInt32Ids('input_ids', ids);
      const rows = [...Array(plainIds.shape[0]).keys()].map((r) =>
        Array.from(plainIds.data.subarray(r * plainIds.shape[1]!, (r + 1) * plainIds.shape[1]!)),
      );
      const maskT = toInt32Ids('attention_mask', enc.attention_mask as unknown as Tensor<BigInt64Array>);
      const mask = rows.map((_, r) => Array.from(maskT.data.subarray(r * maskT.shape[1]!, (r + 1) * maskT.shape[1]!)));
      const b = await model.forward({ input_ids: rows, attention_mask: mask });
      expect(Array.from(a.last_hidden_state.data)).toEqual(Array.from(b.last_hidden_state.data));
    } finally {
      model.dispose();
    }
  });
});
