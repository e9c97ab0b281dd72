// `albert train --backend onnx` (the README's command): the same logged losses as `--backend tfjs` on the same
// data and seed (no dropout in the default model), the same saved folder layout, exact resume from a
// checkpoint on onnx and across backends, dropout reproducible from --seed, --gradient-checkpointing (per-layer
// recompute: the same run), and the options onnx does not have.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpointDir } from '@albertjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'albert-train-onnx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function log(dir: string) {
  const s = JSON.parse(readFileSync(join(dir, 'trainer_state.json'), 'utf8')) as {
    global_step: number;
    log_history: Record<string, number>[];
  };
  return { step: s.global_step, losses: s.log_history.filter((e) => 'loss' in e).map((e) => e.loss!) };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

async function maxWeightDiff(a: string, b: string): Promise<number> {
  const x = (await readCheckpointDir(a)).tensors;
  const y = (await readCheckpointDir(b)).tensors;
  expect([...y.keys()].sort()).toEqual([...x.keys()].sort());
  let m = 0;
  for (const [k, t] of x) {
    const u = y.get(k)!.data as Float32Array;
    (t.data as Float32Array).forEach((v, j) => {
      m = Math.max(m, Math.abs(v - u[j]!));
    });
  }
  return m;
}

describe('albert train --backend onnx', () => {
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
  const cmd = /```sh\n\s*(albert train [^\n]*--backend onnx)\n/.exec(readme)?.[1];
  const argv = (out: string) =>
    cmd!
      .split(/\s+/)
      .slice(1)
      .map((a) =>
        a.startsWith('test/fixtures/') ? join(import.meta.dirname, '..', a) : a === 'my-onnx-classifier' ? out : a,
      );

  it("runs the README's command and follows the tfjs run step for step", async () => {
    expect(cmd).toBeDefined();
    const onnx = join(tmp, 'onnx');
    const r = await run(...argv(onnx));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('training graphs on onnxruntime');
    for (const f of ['model.safetensors', 'config.json', 'tokenizer.json', 'trainer_state.json', 'all_results.json'])
      expect(existsSync(join(onnx, f)), f).toBe(true);
    const tfjs = join(tmp, 'tfjs');
    const t = await run(
      ...argv(tfjs).filter((a) => a !== '--backend' && a !== 'onnx'),
      '--runtime',
      'cpu',
      '--save-steps',
      '2',
    );
    expect(t.code, t.err).toBe(0);
    const a = log(onnx);
    const b = log(tfjs);
    expect(a.step).toBe(6);
    expect(a.losses).toHaveLength(3);
    for (const [k, l] of a.losses.entries()) expect(rel(l, b.losses[k]!), `logged loss ${k}`).toBeLessThanOrEqual(1e-4);
    // lr 1e-2 moves weights by up to 6e-2 in 6 steps; Adam's m/√v turns float32 noise in near-zero gradients
    // into updates of up to lr, so the weights agree to ~1e-3 while the losses agree to 1e-4
    expect(await maxWeightDiff(onnx, tfjs)).toBeLessThan(1e-3);
    const results = JSON.parse(readFileSync(join(onnx, 'all_results.json'), 'utf8'));
    const want = JSON.parse(readFileSync(join(tfjs, 'all_results.json'), 'utf8'));
    expect(rel(results.eval_loss, want.eval_loss)).toBeLessThanOrEqual(1e-4);
    expect(results.eval_accuracy).toBe(want.eval_accuracy);
  }, 120_000);

  it("trains with the config's dropout: the same seed gives the same run, dropout 0 another", async () => {
    const withDropout = (name: string, p: string) =>
      run(...argv(join(tmp, name)), '--classifier-dropout', p, '--eval-steps', '1000', '--max-steps', '4');
    for (const [name, p] of [
      ['drop-a', '0.5'],
      ['drop-b', '0.5'],
      ['drop-0', '0'],
    ] as const) {
      const r = await withDropout(name, p);
      expect(r.code, r.err).toBe(0);
    }
    const a = log(join(tmp, 'drop-a'));
    expect(a.losses).toHaveLength(2);
    expect(log(join(tmp, 'drop-b')).losses).toEqual(a.losses);
    expect(log(join(tmp, 'drop-0')).losses[0]).not.toBe(a.losses[0]);
    expect(JSON.parse(readFileSync(join(tmp, 'drop-a', 'config.json'), 'utf8')).classifier_dropout_prob).toBe(0.5);
  }, 60_000);

  it('resumes exactly from an onnx checkpoint, and a tfjs checkpoint resumes on onnx', async () => {
    const full = join(tmp, 'full');
    expect((await run(...argv(full), '--save-steps', '2')).code).toBe(0);
    const resumed = join(tmp, 'resumed');
    const r = await run(...argv(resumed), '--resume', join(full, 'checkpoint-2'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('resuming at step 2');
    expect(log(resumed).losses).toEqual(log(full).losses);
    expect(await maxWeightDiff(resumed, full)).toBe(0);
    const tfjsFull = join(tmp, 'tfjs'); // the first test's tfjs run (--save-steps 2)
    const cross = join(tmp, 'cross');
    const c = await run(...argv(cross), '--resume', join(tfjsFull, 'checkpoint-2'));
    expect(c.code, c.err).toBe(0);
    expect(await maxWeightDiff(cross, tfjsFull)).toBeLessThan(1e-3);
  }, 120_000);

  it('--gradient-checkpointing recomputes each layer: the same run as without', async () => {
    const dir = join(tmp, 'recompute');
    const r = await run(...argv(dir), '--gradient-checkpointing');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('gradient checkpointing on');
    const a = log(dir);
    const b = log(join(tmp, 'onnx')); // the first test's run
    expect(a.step).toBe(b.step);
    for (const [k, l] of a.losses.entries()) expect(rel(l, b.losses[k]!), `logged loss ${k}`).toBeLessThanOrEqual(1e-5);
    // the shared layer's gradients are summed in another order (per application vs one merged Gemm): float32
    // noise that Adam's m/√v turns into updates of up to lr in near-zero gradients, as in the tfjs comparison above
    expect(await maxWeightDiff(dir, join(tmp, 'onnx'))).toBeLessThan(1e-3);
  }, 60_000);

  it('refuses the tfjs-only options', async () => {
    const w = await run(...argv(join(tmp, 'y')), '--runtime', 'wasm');
    expect(w.code).toBe(2);
    expect(w.err).toContain('--runtime wasm is a tfjs runtime');
    const b = await run(...argv(join(tmp, 'z')).map((a) => (a === 'onnx' ? 'webgpu' : a)));
    expect(b.code).toBe(2);
  });
});
