// Third-party graphs (torch.onnx.export, arbitrary output names) run by @albertjs/onnx's file runner:
// outputs mapped by position and shape must reproduce the recorded onnxruntime outputs.
import { readFileSync } from 'node:fs';
import { isHeadName, parseSafetensors } from '@albertjs/core';
import { loadOnnxModel } from '@albertjs/onnx';
import { describe, expect, it } from 'vitest';
import { listOnnx, maxAbsDiff, pick } from '../src/index.js';

describe('torch-exported ONNX graphs through loadOnnxModel', () => {
  const graphs = listOnnx();
  it('has torch-exported fixtures', () => expect(graphs.length).toBeGreaterThan(0));
  it.each(graphs.map((g) => [g.name, g] as const))('%s', async (_n, fx) => {
    const head = fx.name.split('__')[1]!;
    if (!isHeadName(head)) throw new Error(`fixture ${fx.name} names no head`);
    const model = await loadOnnxModel(fx.model, { head, intraOpNumThreads: 1 });
    const io = parseSafetensors(new Uint8Array(readFileSync(fx.io)), fx.io).tensors;
    const inputs = pick(io, 'in.');
    const expected = pick(io, 'out.');
    const out = await model.forward({
      input_ids: inputs.get('input_ids') as never,
      attention_mask: inputs.get('attention_mask') as never,
      token_type_ids: inputs.get('token_type_ids') as never,
    });
    const fields = Object.keys(out);
    // The k-th field corresponds to the k-th graph output.
    expect(model.outputNames.length).toBe(fields.length);
    model.outputNames.forEach((name, k) => {
      const d = maxAbsDiff(fields[k]!, out[fields[k]!], expected.get(name)!);
      expect(d.error).toBeUndefined();
      expect(d.maxAbs, `${fields[k]} vs ${name}`).toBeLessThanOrEqual(1e-5);
    });
    model.dispose();
  });
});
