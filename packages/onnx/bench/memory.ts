// Per-shape memory of one bench variant, each measured in a FRESH Node process: onnxruntime's CPU arena
// (and transformers.js' caches) keep their high-water mark for a session's life, so RSS read in one
// long-running process after several shapes is cumulative. The child loads one variant, runs one
// shape, and reports
//   model: RSS after loading − RSS before loading (weights, prepacked weights, session),
//   peak:  peak RSS during the first forward at that shape − RSS before loading (model + activations),
// where the peak is the kernel's VmHWM (reset through /proc/self/clear_refs) on Linux, else maxRSS.
// (peak − model understates the activations when loading left freed-but-resident heap behind.)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AlbertConfig } from '@albertjs/core';
import { randomIds } from './random-model.js';
import { makeRunner, type VariantKey, type VariantOptions, variant } from './variants.js';

export interface ShapeMemory {
  /** Bytes RSS grew by loading the model. */
  modelBytes: number;
  /** Bytes RSS peaked above its pre-load level during one forward at the shape. */
  peakBytes: number;
  /** 'VmHWM' (exact kernel high-water mark) or 'maxRSS' (process-lifetime peak: includes loading). */
  method: 'VmHWM' | 'maxRSS';
}

const MARK = 'albert-bench-memory ';

/** Runs `key` at B × S in a child process and returns its memory figures. */
export function measureShapeMemory(key: VariantKey, B: number, S: number, o: VariantOptions): ShapeMemory {
  const args = [
    ...process.execArgv,
    fileURLToPath(import.meta.url),
    '--variant',
    key,
    '--shape',
    `${B}x${S}`,
    ...(o.tjsModel ? ['--tjs-model', o.tjsModel] : []),
    ...(o.threads ? ['--threads', String(o.threads)] : []),
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout?.split('\n').find((l) => l.startsWith(MARK));
  if (r.status !== 0 || !line)
    throw new Error(
      `memory child for ${key} ${B}x${S} failed (${r.status}): ${r.stderr?.split('\n').slice(-5).join(' ')}`,
    );
  return JSON.parse(line.slice(MARK.length)) as ShapeMemory;
}

function statusBytes(field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return statusBytes('VmHWM') !== undefined;
  } catch {
    return false;
  }
}

async function child(): Promise<void> {
  const { values } = parseArgs({
    options: {
      variant: { type: 'string' },
      shape: { type: 'string' },
      'tjs-model': { type: 'string' },
      threads: { type: 'string' },
    },
  });
  const key = variant(values.variant ?? '').key;
  const [B, S] = (values.shape ?? '').split('x').map(Number) as [number, number];
  const config = AlbertConfig.fromPreset('albert-base-v2');
  const ids = randomIds(config, B, S, 7);
  const before = process.memoryUsage.rss();
  const run = await makeRunner(key, {
    ...(values['tjs-model'] ? { tjsModel: values['tjs-model'] } : {}),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
  });
  const loaded = process.memoryUsage.rss();
  const hwm = resetHighWaterMark();
  await run(ids);
  const peak = Math.max(hwm ? statusBytes('VmHWM')! : process.resourceUsage().maxRSS * 1024, loaded);
  const result: ShapeMemory = {
    modelBytes: loaded - before,
    peakBytes: peak - before,
    method: hwm ? 'VmHWM' : 'maxRSS',
  };
  console.log(`${MARK}${JSON.stringify(result)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await child();
