// Entry of an isolated backend run (spawned by isolate.ts): argv[2] is `{ options, backend }` as JSON;
// every BenchEvent goes to stdout as one prefixed JSON line.
import type { BackendName } from './backends.js';
import { type BenchEvent, EVENT_PREFIX } from './events.js';
import { runInProcess } from './inprocess.js';
import type { BenchOptions } from './options.js';
import { planBench } from './plan.js';

function send(e: BenchEvent): void {
  process.stdout.write(`${EVENT_PREFIX}${JSON.stringify(e)}\n`);
}

async function main(): Promise<void> {
  const { options, backend } = JSON.parse(process.argv[2] ?? '{}') as { options: BenchOptions; backend: BackendName };
  const plan = await planBench({ ...options, backends: [backend] });
  await runInProcess(plan, [backend], options.backendOptions, send);
}

const flushed = () => new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
main().then(
  async () => {
    await flushed();
    // Some runtimes (Dawn, onnxruntime threads) keep the event loop alive: leave explicitly.
    process.exit(0);
  },
  async (e: unknown) => {
    send({ kind: 'log', line: `isolated run failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` });
    await flushed();
    process.exit(1);
  },
);
