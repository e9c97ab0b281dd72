// runBench(): every requested backend × mode × grid cell × attention implementation on seeded random
// weights of the named shape; each backend and mode in its own child process unless `isolate: false`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headParams, numel } from '@albertjs/core';
import { withBackendDefaults } from './defaults.js';
import { describeEnvironment, shellJoin } from './environment.js';
import { EventCollector } from './events.js';
import type { BenchMode } from './grids.js';
import { runInProcess } from './inprocess.js';
import { runIsolated } from './isolate.js';
import type { BenchOptions } from './options.js';
import { planBench } from './plan.js';
import { type BenchResult, RESULT_SCHEMA } from './result.js';

function ownVersion(): string {
  const pj = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
  return (JSON.parse(readFileSync(pj, 'utf8')) as { version: string }).version;
}

/** Runs the benchmark described by `options` and returns every measurement with its context. */
export async function runBench(requested: BenchOptions = {}): Promise<BenchResult> {
  const started = performance.now();
  const plan = await planBench(requested);
  const options = withBackendDefaults(requested, plan.modes, plan.backends);
  const command = options.command ?? shellJoin(process.argv.slice(1));
  const collector = new EventCollector(options.log ?? (() => {}), options.onEvent);
  if (options.isolate === false) {
    await runInProcess(plan, plan.backends, options.backendOptions, collector.emit);
  } else {
    // One process per backend AND mode: a crash ends only that part, and memory high-water marks that
    // never come down (the wasm heap, onnxruntime's arena) are each mode's own, not training's in inference.
    const { compareOnnx: _onnx, compareThreads: _threads, ...trainOptions } = options; // transformers.js is inference only
    for (const name of plan.backends)
      for (const mode of plan.modes)
        await runIsolated(
          name,
          { ...(mode === 'infer' ? options : trainOptions), modes: [mode] },
          collector.emit,
          options.backendTimeoutSeconds,
        );
  }
  const ran = collector.statuses
    .filter((s) => s.ran)
    .map((s) => ({ name: `@albertjs/${s.name}`, deps: 'all' as const }));
  const tjs = collector.comparison ? [{ name: '@huggingface/transformers', deps: ['onnxruntime-node'] }] : [];
  const environment = describeEnvironment(command, [{ name: '@albertjs/core' }, ...ran, ...tjs]);
  environment.versions = { '@albertjs/bench': ownVersion(), ...environment.versions };
  const parameters: Partial<Record<BenchMode, number>> = {};
  for (const mode of plan.modes)
    parameters[mode] = headParams(plan.heads[mode], plan.config).reduce((n, p) => n + numel(p.shape), 0);
  const c = plan.config;
  return {
    schema: RESULT_SCHEMA,
    environment,
    model: {
      name: plan.model.name,
      source: plan.model.source,
      shape: {
        vocab_size: c.vocab_size,
        embedding_size: c.embedding_size,
        hidden_size: c.hidden_size,
        num_hidden_layers: c.num_hidden_layers,
        num_hidden_groups: c.num_hidden_groups,
        inner_group_num: c.inner_group_num,
        num_attention_heads: c.num_attention_heads,
        intermediate_size: c.intermediate_size,
        hidden_act: c.hidden_act,
      },
      parameters,
      weights: `random, seed ${plan.seed}: N(0, ${c.initializer_range}²) as transformers' _init_weights`,
    },
    grid: plan.grid,
    modes: plan.modes,
    heads: plan.heads,
    attn: plan.attn,
    dtype: plan.dtype,
    seed: plan.seed,
    isolated: options.isolate !== false,
    ...(plan.maxCellSeconds !== undefined ? { maxCellSeconds: plan.maxCellSeconds } : {}),
    ...(collector.rssMethod ? { rssMethod: collector.rssMethod } : {}),
    backends: collector.statuses,
    cells: collector.cells,
    ...(collector.comparison ? { comparison: collector.comparison } : {}),
    totalSeconds: (performance.now() - started) / 1000,
  };
}
