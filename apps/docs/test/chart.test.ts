import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartSvg } from '../src/live/chart.js';

describe('benchmark charts', () => {
  const cell = (backend: string, attn: string, seq: number, perTokenMs?: number) => ({
    backend,
    mode: 'infer',
    attn,
    batch: 4,
    seq,
    ...(perTokenMs !== undefined ? { perTokenMs } : { error: 'oom' }),
  });
  const cx = (svg: string) => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [+m[1]!, +m[2]!]);

  it('draws one line per backend × attention × batch over the sequence lengths, a marker per cell', () => {
    const svg = chartSvg(
      [
        cell('onnx', 'eager', 128, 0.2),
        cell('onnx', 'eager', 256, 0.4),
        cell('onnx', 'sdpa', 128, 0.1),
        cell('onnx', 'sdpa', 256, 0.3),
        cell('tfjs', 'sdpa', 128),
      ],
      'infer',
    );
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('>onnx eager b4<');
    expect(svg).toContain('>onnx sdpa b4<');
    expect(svg).toContain('ms per token (log scale)');
  });

  it('puts time on a log axis: equal ratios are equal distances, decades span the data', () => {
    // 1, 10, 100 ms: a decade apart each; the axis is 10^0 … 10^2, so the points sit at the bottom, middle, top
    const svg = chartSvg([cell('a', 'sdpa', 1, 1), cell('b', 'sdpa', 2, 10), cell('c', 'sdpa', 3, 100)], 'infer');
    const ys = cx(svg).map(([, y]) => y);
    expect(ys).toEqual([320 - 48, 160, 48]);
    // y tick labels: 1, 10, 100
    expect([...svg.matchAll(/text-anchor="end"[^>]*>([\d.]+)</g)].map((m) => m[1])).toEqual(['1', '10', '100']);
  });

  it('shows a backend that has a single measured cell (a marker, no line)', () => {
    const svg = chartSvg(
      [cell('onnx', 'sdpa', 32, 10), cell('onnx', 'sdpa', 64, 12), cell('webgpu', 'eager', 32, 1690)],
      'infer',
    );
    expect(svg).toContain('>webgpu eager b4<');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('<title>webgpu eager b4 s32: 1.69e+3 ms/token</title>');
  });

  it('draws every timed cell of the committed results, for every backend in them', () => {
    const r = JSON.parse(readFileSync(new URL('../data/bench/results.json', import.meta.url), 'utf8')) as {
      modes: string[];
      cells: Parameters<typeof chartSvg>[0];
    };
    for (const m of r.modes) {
      const timed = r.cells.filter((c) => c.mode === m && c.perTokenMs);
      const svg = chartSvg(r.cells, m);
      expect(svg.match(/<circle /g) ?? []).toHaveLength(timed.length);
      for (const b of new Set(timed.map((c) => c.backend))) expect(svg).toContain(`>${b} `);
    }
  });

  it('is empty when no cell of the mode has timings', () => {
    expect(chartSvg([cell('tfjs', 'sdpa', 128)], 'infer')).toBe('');
    expect(chartSvg([cell('onnx', 'sdpa', 128, 1)], 'train')).toBe('');
  });
});
