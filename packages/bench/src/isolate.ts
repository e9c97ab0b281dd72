// Runs one backend in a child Node process, so that a native crash, an out-of-memory kill or a hang
// (a GPU driver, a huge eager attention matrix) ends that backend's run only, and so that each
// backend's peak RSS is its own. Events stream back as prefixed JSON lines; cells measured before a
// failure are kept.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendName } from './backends.js';
import { findPackageDir } from './environment.js';
import { type BenchEvent, EVENT_PREFIX } from './events.js';
import type { BenchOptions } from './options.js';

/** How to start the child: compiled JS runs as is; TypeScript sources (tests, dev) run under tsx. */
export function childCommand(): { execArgv: string[]; script: string } | { error: string } {
  const here = import.meta.url;
  if (here.endsWith('.js')) return { execArgv: ['--expose-gc'], script: fileURLToPath(new URL('./child.js', here)) };
  const tsx = findPackageDir('tsx', fileURLToPath(new URL('.', here)));
  if (!tsx) return { error: 'running from TypeScript sources needs tsx installed to isolate backends' };
  return {
    execArgv: [
      '--expose-gc',
      '--conditions=@albertjs/source',
      '--import',
      pathToFileURL(join(tsx, 'dist', 'loader.mjs')).href,
    ],
    script: fileURLToPath(new URL('./child.ts', here)),
  };
}

/** Options a child can receive (functions dropped). */
function serializable(options: BenchOptions): BenchOptions {
  const { log: _log, ...rest } = options;
  return rest;
}

export async function runIsolated(
  name: BackendName,
  options: BenchOptions,
  emit: (e: BenchEvent) => void,
  timeoutSeconds?: number,
): Promise<void> {
  const cmd = childCommand();
  const mode = options.modes?.length === 1 ? options.modes[0] : undefined;
  const failure = (reason: string): BenchEvent => ({
    kind: 'failure',
    backend: name,
    reason: mode ? `${mode}: ${reason}` : reason,
    ...(mode ? { mode } : {}),
  });
  if ('error' in cmd) {
    emit(failure(cmd.error));
    return;
  }
  const child = spawn(
    process.execPath,
    [...cmd.execArgv, cmd.script, JSON.stringify({ options: serializable(options), backend: name })],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    },
  );
  let cells = 0;
  const out = createInterface({ input: child.stdout });
  out.on('line', (line) => {
    if (!line.startsWith(EVENT_PREFIX)) {
      if (line.trim()) emit({ kind: 'log', line: `${name}: ${line}` });
      return;
    }
    const e = JSON.parse(line.slice(EVENT_PREFIX.length)) as BenchEvent;
    if (e.kind === 'cell') cells++;
    emit(e);
  });
  const err = createInterface({ input: child.stderr });
  const stderrTail: string[] = [];
  err.on('line', (line) => {
    if (!line.trim()) return;
    stderrTail.push(line);
    if (stderrTail.length > 5) stderrTail.shift();
    emit({ kind: 'log', line: `${name} (stderr): ${line}` });
  });
  let timedOut = false;
  const timer =
    timeoutSeconds !== undefined
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutSeconds * 1000)
      : undefined;
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  if (timer) clearTimeout(timer);
  if (timedOut) emit(failure(`timed out after ${timeoutSeconds} s (${cells} cells measured before)`));
  else if (code !== 0) {
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    const last = stderrTail.length ? `; last stderr: ${stderrTail.join(' / ')}` : '';
    emit(failure(`its process ${how} after ${cells} cells${last}`));
  }
}
