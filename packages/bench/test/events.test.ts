// Events from the per-(backend, mode) processes merge into one status per backend; a mode's failure is
// kept beside the other mode's cells.
import { describe, expect, it } from 'vitest';
import { type BenchEvent, EventCollector, runBench } from '../src/index.js';

describe('EventCollector', () => {
  it('keeps one status per backend and the failure of the mode that failed', () => {
    const c = new EventCollector(() => {});
    const events: BenchEvent[] = [
      // the train process died before it could open the backend
      {
        kind: 'failure',
        backend: 'tfjs',
        mode: 'train',
        reason: 'train: its process exited with code 1 after 0 cells',
      },
      { kind: 'backend', status: { name: 'tfjs', ran: true, description: 'tfjs-wasm' } },
      { kind: 'backend', status: { name: 'onnx', ran: true, description: 'onnxruntime-node cpu' } },
      { kind: 'backend', status: { name: 'onnx', ran: true, description: 'onnxruntime-node cpu' } },
      {
        kind: 'failure',
        backend: 'onnx',
        mode: 'infer',
        reason: 'infer: timed out after 5 s (2 cells measured before)',
      },
    ];
    for (const e of events) c.emit(e);
    expect(c.statuses).toEqual([
      {
        name: 'tfjs',
        ran: true,
        description: 'tfjs-wasm',
        failure: 'train: its process exited with code 1 after 0 cells',
      },
      {
        name: 'onnx',
        ran: true,
        description: 'onnxruntime-node cpu',
        failure: 'infer: timed out after 5 s (2 cells measured before)',
      },
    ]);
  });

  it('passes every event on to onEvent after collecting it', () => {
    const seen: string[] = [];
    const c = new EventCollector(
      () => {},
      (e) => seen.push(e.kind),
    );
    c.emit({ kind: 'log', line: 'x' });
    c.emit({ kind: 'rss', method: 'VmHWM' });
    expect(seen).toEqual(['log', 'rss']);
    expect(c.rssMethod).toBe('VmHWM');
  });
});

describe('isolated runs', () => {
  it('run each mode of a backend in its own process, each with its own timeout', async () => {
    const seen: BenchEvent[] = [];
    const r = await runBench({
      grid: 'smoke',
      backends: ['onnx'],
      backendTimeoutSeconds: 0.05, // no process can even load in 50 ms
      onEvent: (e) => seen.push(e),
    });
    const failures = seen.filter((e) => e.kind === 'failure');
    expect(failures.map((e) => e.kind === 'failure' && e.mode)).toEqual(['train', 'infer']);
    expect(r.backends).toHaveLength(1);
    expect(r.backends[0]!.ran).toBe(false);
    expect(r.backends[0]!.reason).toMatch(/^train: timed out after 0.05 s .*; infer: timed out after 0.05 s/);
  }, 60_000);
});
