import { describe, expect, it } from 'vitest';
import { RssPeakMeter, reportsMemory } from '../src/index.js';

const MB = 1e6;

/** Touches `bytes` of fresh memory, holds it for `holdMs` of synchronous work, then drops it. */
function spike(bytes: number, holdMs: number): number {
  const buf = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 4096) buf[i] = 1;
  const until = performance.now() + holdMs;
  let x = 0;
  while (performance.now() < until) x += buf[(x * 4096) % bytes]!;
  return x;
}

describe('RssPeakMeter', () => {
  for (const method of ['auto', 'sampled'] as const) {
    it(`catches a short allocation spike inside synchronous work (${method})`, async () => {
      const meter = new RssPeakMeter({ method });
      try {
        await meter.begin();
        spike(256 * MB, 60);
        const r = meter.end();
        if (method === 'sampled') expect(r.method).toBe('sampled');
        expect(r.peakBytes - r.baselineBytes).toBeGreaterThan(200 * MB);
        await meter.begin();
        const quiet = meter.end();
        expect(quiet.peakBytes).toBeGreaterThanOrEqual(quiet.baselineBytes);
      } finally {
        await meter.dispose();
      }
    });
  }

  it('recognises backends that report their own memory', () => {
    expect(reportsMemory({ memory: () => ({ bytesInUse: 1, source: 'x' }) })).toBe(true);
    expect(reportsMemory({ name: 'tfjs' })).toBe(false);
    expect(reportsMemory(undefined)).toBe(false);
  });
});
