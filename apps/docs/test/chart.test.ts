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
  it('draws one line per backend × attention × batch over the sequence lengths', () => {
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
    expect(svg).toContain('>onnx eager b4<');
    expect(svg).toContain('>onnx sdpa b4<');
    expect(svg).toContain('ms per token (max 0.400)');
    // the slowest point sits at the top of the plot area (y = 48), the fastest eager point halfway down
    expect(svg).toMatch(/M48\.0,160\.0 L592\.0,48\.0/);
  });
  it('is empty when no cell of the mode has timings', () => {
    expect(chartSvg([cell('tfjs', 'sdpa', 128)], 'infer')).toBe('');
    expect(chartSvg([cell('onnx', 'sdpa', 128, 1)], 'train')).toBe('');
  });
});
