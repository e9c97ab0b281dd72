// The README's offline example runs as written (against the sources).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { fixtureRepos } from '../../../tooling/hub-mirror/repos.mjs';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'albertjs-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  it('the offline example runs and prints the documented results', async () => {
    const block = /## Example \(runs offline\)[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const file = join(dir, 'example.mjs');
    writeFileSync(file, block!);
    const logs: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      logs.push(a);
    });
    const warns: unknown[][] = [];
    const warnSpy = vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => {
      warns.push(a);
    });
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href);
    } finally {
      spy.mockRestore();
      warnSpy.mockRestore();
    }
    expect(logs[1]).toEqual(['safetensors', { missing: [], unexpected: [], mismatched: [], newlyInitialized: [] }]);
    expect(logs[2]).toEqual([[3, 32]]);
    expect(logs[3]).toEqual([['qa_outputs.weight', 'qa_outputs.bias']]);
    expect(logs[4]).toEqual([[5, 32], 4]);
    expect(warns.map((w) => String(w[0]).split('\n')[0])).toEqual([
      expect.stringMatching(
        /^Some weights of AlbertForQuestionAnswering were not initialized from the model checkpoint at .*my-model and are newly initialized: \[qa_outputs\.weight, qa_outputs\.bias\]$/,
      ),
      expect.stringMatching(
        /^Some weights of AlbertForSequenceClassification were not initialized .* because the shapes did not match:$/,
      ),
    ]);
    expect((logs[0]![0] as { total: number }).total).toBeGreaterThan(0);
  });

  it('the Hub example runs against the local Hub mirror (HF_ENDPOINT, HF_HUB_CACHE) and prints what it says', async () => {
    const blocks = /## From the Hub[\s\S]*?```js\n([\s\S]*?)```[\s\S]*?```js\n([\s\S]*?)```/.exec(readme);
    expect(blocks).not.toBeNull();
    const hub = await startHubMirror({ repos: { 'albert/albert-base-v2': fixtureRepos()['albert/albert-base-v2']! } });
    const saved = { ...process.env };
    process.env.HF_ENDPOINT = hub.url;
    process.env.HF_HUB_CACHE = join(dir, 'hub-cache');
    process.env.HF_TOKEN_PATH = join(dir, 'no-token');
    delete process.env.HF_TOKEN;
    delete process.env.HF_HUB_OFFLINE;
    const logs: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      logs.push(a);
    });
    const { env } = await import('@albertjs/core');
    const before = { ...env };
    try {
      for (const [i, block] of [blocks![1]!, blocks![2]!].entries()) {
        const file = join(dir, `hub-example-${i}.mjs`);
        writeFileSync(file, block);
        await import(/* @vite-ignore */ pathToFileURL(file).href);
      }
      expect(env.remoteHost).toBe('https://my-mirror.example');
    } finally {
      Object.assign(env, before);
      spy.mockRestore();
      process.env = saved;
      await hub.close();
    }
    const done = logs.filter((l) => l[0] === 'model.safetensors' && l[1] === l[2]);
    expect(done.length).toBeGreaterThan(0);
    expect(logs.at(-1)).toEqual(['albert', 0, 2]);
    expect(hub.log.some((r) => r.path === '/albert/albert-base-v2/resolve/main/model.safetensors')).toBe(true);
  });
});
