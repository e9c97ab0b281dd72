import { DEFAULT_FIXTURES_DIR, listCases } from '@albertjs/parity-tests';
import { describe, expect, it } from 'vitest';
import { runBackendIsolated } from '../src/parity/backend-run.js';

describe('albert parity runs each backend in its own process', () => {
  const cases = listCases().filter((c) => c.id === 'tiny__AlbertModel__sdpa');

  it('returns the child process results', async () => {
    const r = await runBackendIsolated('onnx', DEFAULT_FIXTURES_DIR, '^tiny__AlbertModel__sdpa$', cases, {
      grads: true,
      caseTimeoutMs: 60_000,
      killAfterMs: 120_000,
    });
    expect(r.ok, r.reason).toBe(true);
    expect(r.results.map((x) => [x.id, x.pass])).toEqual([['tiny__AlbertModel__sdpa', true]]);
  });

  it('reports a backend process that does not finish as a failure of every case, not a crash of the CLI', async () => {
    const r = await runBackendIsolated('onnx', DEFAULT_FIXTURES_DIR, '^tiny__AlbertModel__sdpa$', cases, {
      grads: true,
      caseTimeoutMs: 60_000,
      killAfterMs: 50,
    });
    expect(r.ok).toBe(false);
    expect(r.crashed).toBe(true);
    expect(r.reason).toMatch(/^killed after 0 s without finishing/);
    expect(r.results).toEqual([
      expect.objectContaining({
        id: 'tiny__AlbertModel__sdpa',
        pass: false,
        error: 'not run: backend process killed after 0 s without finishing',
      }),
    ]);
  });
});
