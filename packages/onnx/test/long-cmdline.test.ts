// onnxruntime-node 1.30 dies with SIGSEGV when the process's command line is ~28 KB or more (it parses
// /proc/self/cmdline with a recursive regex at its first session). createBackend() refuses with a BackendError
// instead of crashing the process.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const script = `
import { createBackend } from ${JSON.stringify(resolve(here, '../src/index.ts'))};
try {
  const b = await createBackend();
  console.log('ok', b.name);
} catch (e) {
  console.log(e.name + ': ' + e.message);
}
`;

describe.runIf(process.platform === 'linux')('a long command line', () => {
  it('30 KB of arguments: a BackendError saying why, not a segfault', () => {
    const r = spawnSync(
      process.execPath,
      ['--conditions=@albertjs/source', '--import', tsx, '--input-type=module', '-e', script, 'x'.repeat(30_000)],
      { encoding: 'utf8', timeout: 60_000, cwd: here },
    );
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^BackendError: this process's command line is \d+ bytes; onnxruntime-node crashes \(SIGSEGV\) on command lines over ~24576 bytes .*pass long texts through stdin or a file/,
    );
  });
});
