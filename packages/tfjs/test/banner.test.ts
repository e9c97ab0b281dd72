// TensorFlow.js' "install tfjs-node" banner is not printed by createBackend() on the wasm or cpu runtime
// (describe() already says which runtime runs), while tfjs used directly does print it (the check can fail).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'albertjs-banner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a TypeScript snippet in a fresh Node process (the banner is printed once per process): stdout + stderr. */
function runAll(name: string, source: string): string {
  const file = join(dir, `${name}.mts`);
  writeFileSync(file, source);
  try {
    return execFileSync(
      '/bin/sh',
      ['-c', `"${process.execPath}" --conditions=@albertjs/source --import tsx "${file}" 2>&1`],
      { cwd: pkg, encoding: 'utf8' },
    );
  } catch (e) {
    throw new Error(`${name} failed: ${(e as { stdout?: string }).stdout ?? e}`);
  }
}

const BANNER = /looks like you are running TensorFlow\.js in Node\.js/;
const src = JSON.stringify(join(pkg, 'src', 'index.ts'));
const core = JSON.stringify(join(pkg, '..', 'core', 'src', 'index.ts'));

describe('tfjs-node banner', () => {
  it('createBackend() on the wasm and the cpu runtime, and a forward on each, print nothing but our output', () => {
    const out = runAll(
      'quiet',
      `import { AlbertConfig, randomWeightMap } from ${core};
import { createBackend } from ${src};
const config = new AlbertConfig({ vocab_size: 20, embedding_size: 4, hidden_size: 8, num_hidden_layers: 1,
  num_attention_heads: 2, intermediate_size: 8, max_position_embeddings: 8 });
for (const runtime of ['wasm', 'cpu'] as const) {
  const b = await createBackend({ runtime });
  const model = await b.loadModel('AlbertModel', config, randomWeightMap('AlbertModel', config, { seed: 1 }).weights);
  const out = await model.forward({ input_ids: [[1, 2, 3]] });
  console.log('done', (await b.describe()).split(':')[0], out.last_hidden_state.shape.join('x'));
}
`,
    );
    expect(out).not.toMatch(BANNER);
    expect(out.trim()).toBe('done tfjs-wasm 1x3x8\ndone tfjs-cpu 1x3x8');
  });

  it('tfjs used directly on its cpu backend does print it (what the test above would catch)', () => {
    const out = runAll(
      'plain-cpu',
      `import { tf } from ${src};
await tf.setBackend('cpu');
tf.tensor([1, 2]).dispose();
`,
    );
    expect(out).toMatch(BANNER);
  });
});
