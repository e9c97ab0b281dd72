// pipeline() with no backend option: the first installed backend of onnx, tfjs, webgpu (all three are in the
// workspace, so onnx); what happens when none is installed is tested from a packed install in
// packages/consumer-tests (a project with @albertjs/pipelines alone, then with @albertjs/tfjs added).
import { InputError } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKEND_ORDER, defaultBackend } from '../src/default-backend.js';
import { pipeline } from '../src/pipeline.js';

describe('pipeline() without a backend option', () => {
  it('tries onnx, then tfjs, then webgpu', () => {
    expect([...DEFAULT_BACKEND_ORDER]).toEqual(['onnx', 'tfjs', 'webgpu']);
  });

  it('defaultBackend() starts @albertjs/onnx when it is installed', async () => {
    const backend = await defaultBackend();
    expect(backend.name).toBe('onnx');
    expect(await backend.describe()).toMatch(/onnxruntime-node/);
  });

  it('pipeline(task) alone runs on it and gives what an explicit onnx backend gives', async () => {
    const text = 'The capital of [MASK] is Paris.';
    const implicit = await pipeline('fill-mask');
    const explicit = await pipeline('fill-mask', undefined, { backend: await createBackend() });
    expect(await implicit(text, { topK: 5 })).toEqual(await explicit(text, { topK: 5 }));
  }, 60_000);

  it('a backend option that is not a Backend is an InputError naming what it got', async () => {
    const err = await pipeline('fill-mask', undefined, { backend: 'onnx' as never }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('options.backend must be a Backend');
    expect(err.message).toContain('got string');
  });
});
