import { BackendError } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { createBackend, tf } from '../src/index.js';

describe('runtime selection', () => {
  it('auto picks the best runtime present and reports what it skipped', async () => {
    const b = await createBackend();
    const text = await b.describe();
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(b.runtime.runtime);
    expect(text.startsWith(`tfjs-${b.runtime.runtime}`)).toBe(true);
    // The optional peers are not installed in this repository: wasm wins and both node runtimes are reported as skipped.
    if (b.runtime.runtime === 'wasm') {
      expect(b.runtime.skipped.map((s) => s.runtime)).toEqual(['tensorflow-gpu', 'tensorflow']);
      expect(text).toContain('skipped tensorflow-gpu: @tensorflow/tfjs-node-gpu is not installed');
      expect(b.runtime.skipped.map((s) => s.reason)).toEqual([
        '@tensorflow/tfjs-node-gpu is not installed',
        '@tensorflow/tfjs-node is not installed',
      ]);
    }
    expect(tf.getBackend()).toBe(b.runtime.tfBackend);
  });
  it('can be forced', async () => {
    const b = await createBackend({ runtime: 'cpu' });
    expect(b.runtime.runtime).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
  it('rejects an unknown runtime by name', async () => {
    await expect(createBackend({ runtime: 'webgl2' as 'cpu' })).rejects.toThrow(BackendError);
    await expect(createBackend({ runtime: 'webgl2' as 'cpu' })).rejects.toThrow(/webgl2/);
  });
  it('memory(): live tensor bytes, and on wasm the WebAssembly heap as the high-water mark', async () => {
    const wasm = await createBackend({ runtime: 'wasm' });
    const t = tf.zeros([1024, 1024]); // 4 MiB on the wasm heap
    const m = wasm.memory();
    expect(m.bytesInUse).toBe(tf.memory().numBytes);
    expect(m.peakBytes).toBeGreaterThanOrEqual(4 * 2 ** 20);
    expect(m.source).toMatch(/wasm heap/);
    t.dispose();
    const cpu = await createBackend({ runtime: 'cpu' });
    const c = cpu.memory();
    expect(c.peakBytes).toBeUndefined();
    expect(c.source).toBe('tf.memory().numBytes');
  });
});
