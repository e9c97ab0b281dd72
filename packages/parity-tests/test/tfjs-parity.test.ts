// Every fixture case (HF PyTorch outputs and gradients) through @albertjs/tfjs on the cpu and wasm
// runtimes, with the shared case runner that `albert parity --backend tfjs` uses.
import { createBackend, type TfjsBackend } from '@albertjs/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, GRAD_TOLERANCE, listCases, OUTPUT_TOLERANCE, runCase } from '../src/index.js';

// ALBERTJS_FIXTURES_DIR points the same test at another fixtures folder of this format (acceptance configs).
const cases = listCases(process.env.ALBERTJS_FIXTURES_DIR || undefined);

describe.each(['cpu', 'wasm'] as const)('tfjs parity with transformers (%s)', (runtime) => {
  let backend: TfjsBackend;
  const worst = { out: { id: '', name: '', maxAbs: 0 }, grad: { id: '', name: '', maxAbs: 0 } };
  beforeAll(async () => {
    backend = await createBackend({ runtime });
    expect(await backend.describe()).toContain(`tfjs-${runtime}`);
  });
  afterAll(() => {
    const f = (w: typeof worst.out) => `${w.maxAbs.toExponential(2)} (${w.id} ${w.name})`;
    console.log(`tfjs-${runtime}: worst out.* max|Δ| ${f(worst.out)}; worst grad.* max|Δ| ${f(worst.grad)}`);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCase(backend, c);
    expect(r.error, formatResult(r)).toBeUndefined();
    expect(r.diffs.filter((d) => d.error)).toEqual([]);
    const outs = r.diffs.filter((d) => d.name.startsWith('out.'));
    const grads = r.diffs.filter((d) => d.name.startsWith('grad.'));
    expect(outs.length).toBe(c.keys.filter((k) => k.startsWith('out.')).length);
    // Gradients are compared on every case that has them (eager cases: every parameter).
    expect(grads.length).toBe(c.keys.filter((k) => k.startsWith('grad.')).length);
    if (c.grads) expect(grads.length).toBeGreaterThan(0);
    for (const [kind, list] of [
      ['out', outs],
      ['grad', grads],
    ] as const) {
      const w = list[0];
      if (w && w.maxAbs > worst[kind].maxAbs) worst[kind] = { id: c.id, name: w.name, maxAbs: w.maxAbs };
    }
    expect(outs[0]!.maxAbs, formatResult(r)).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
    if (grads.length) expect(grads[0]!.maxAbs, formatResult(r)).toBeLessThanOrEqual(GRAD_TOLERANCE);
    expect(r.pass).toBe(true);
  });
});
