// @albertjs/tfjs with gradient checkpointing (createBackend({ gradientCheckpointing: true })): on every
// fixture case with gradients, the loss and every grad.* match HF PyTorch (same tolerances as
// tfjs-parity.test.ts) and match the same backend without checkpointing.
import { bindWeights, readCheckpointDir, type Tensor } from '@albertjs/core';
import { createBackend, type TfjsBackend } from '@albertjs/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseCall,
  compareAll,
  formatResult,
  GRAD_TOLERANCE,
  listCases,
  OUTPUT_TOLERANCE,
  pick,
  runCase,
} from '../src/index.js';

const cases = listCases(process.env.ALBERTJS_FIXTURES_DIR || undefined).filter((c) => c.grads);

// wasm only: the runtime training memory matters on (the cpu runtime runs the same model code; tfjs-parity covers it).
describe.each(['wasm'] as const)('tfjs gradient checkpointing vs transformers (%s)', (runtime) => {
  let ckpt: TfjsBackend;
  let plain: TfjsBackend;
  let worst = { id: '', name: '', maxAbs: 0 };
  afterAll(() => {
    console.log(
      `tfjs-${runtime} checkpointed: worst grad.* max|Δ| ${worst.maxAbs.toExponential(2)} (${worst.id} ${worst.name})`,
    );
  });
  beforeAll(async () => {
    plain = await createBackend({ runtime });
    ckpt = await createBackend({ runtime, gradientCheckpointing: true });
    expect(await ckpt.describe()).toContain('gradient checkpointing on');
  });

  it('the fixtures have gradient cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    // The shared runner: every out.* and every grad.* against the fixture.
    const r = await runCase(ckpt, c);
    expect(r.error, formatResult(r)).toBeUndefined();
    const grads = r.diffs.filter((d) => d.name.startsWith('grad.'));
    expect(grads.length).toBe(c.keys.filter((k) => k.startsWith('grad.')).length);
    if (grads[0]!.maxAbs > worst.maxAbs) worst = { id: c.id, name: grads[0]!.name, maxAbs: grads[0]!.maxAbs };
    expect(grads[0]!.maxAbs, formatResult(r)).toBeLessThanOrEqual(GRAD_TOLERANCE);
    expect(r.pass, formatResult(r)).toBe(true);

    // The loss gradients() returns (the checkpointed forward) and the same gradients without checkpointing.
    const { config, tensors: raw } = await readCheckpointDir(c.modelPath);
    const tensors = c.load();
    const { inputs, cotangents } = caseCall(c, tensors);
    const run = async (backend: TfjsBackend) => {
      const model = await backend.loadModel(c.modelClass, config, bindWeights(c.modelClass, config, raw).weights, {
        attnImplementation: c.attn_implementation,
      });
      try {
        return await model.gradients(inputs, cotangents);
      } finally {
        model.dispose();
      }
    };
    const a = await run(ckpt);
    const b = await run(plain);
    const expectedLoss = pick(tensors, 'out.').get('loss');
    if (expectedLoss) expect(Math.abs(a.loss - Number(expectedLoss.data[0]!))).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
    expect(Math.abs(a.loss - b.loss)).toBeLessThanOrEqual(1e-6);
    const same = compareAll(a.grads as Map<string, Tensor>, b.grads as Map<string, Tensor>);
    expect(same.length).toBe(b.grads.size);
    for (const d of same) expect(d.maxAbs, d.name).toBeLessThanOrEqual(1e-6);
  });
});
