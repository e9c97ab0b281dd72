// `--model <Hub id>`: the CLI downloads through core's Hub client into a Hugging Face cache folder, from the local
// Hub mirror (tooling/hub-mirror, via HF_ENDPOINT), reports Hub errors with exit code 5, works offline from the cache
// without --offline once a model was downloaded, and a Ctrl-C during a download leaves nothing that blocks the next run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '@albertjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubMirror, sha256, startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { fixtureRepos, repoFromDir } from '../../../tooling/hub-mirror/repos.mjs';
import { model, run } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../src/bin.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');
const ENV_KEYS = ['HF_ENDPOINT', 'HF_TOKEN', 'HF_HUB_OFFLINE', 'HF_HUB_CACHE', 'HF_HOME', 'HF_TOKEN_PATH'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let hub: HubMirror;
const tmp = mkdtempSync(join(tmpdir(), 'albert-cli-hub-'));
const cacheDir = () => mkdtempSync(join(tmp, 'cache-'));
const text = 'The capital of [MASK] is Paris.';

async function deadEndpoint(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  const def = fixtureRepos()['albertjs/default']!;
  hub = await startHubMirror({
    repos: {
      'test-org/tiny-cls': repoFromDir(model('tiny', 'AlbertForSequenceClassification')),
      // the default model at head; tag v0 = the tiny fixture MLM (another config)
      'test-org/tiny': {
        files: def.files,
        history: [{ files: repoFromDir(model('tiny', 'AlbertForMaskedLM')).files, refs: ['v0'] }],
      },
      'test-org/gated': { files: def.files, token: 'hf_cli' },
    },
  });
  for (const k of ENV_KEYS) delete process.env[k];
  process.env.HF_ENDPOINT = hub.url;
  process.env.HF_TOKEN_PATH = join(tmp, 'no-token');
});

afterAll(async () => {
  await hub.close();
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('Hub models', () => {
  it('info downloads a Hub id into the cache layout and reads it back offline', async () => {
    const cache = cacheDir();
    const r = await run('info', 'test-org/tiny-cls', '--cache-dir', cache, '--json');
    expect(r.code, r.err).toBe(0);
    const info = JSON.parse(r.out);
    expect(info.architecture).toBe('AlbertForSequenceClassification');
    expect(info.loadReport).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    const commit = hub.repos.get('test-org/tiny-cls')!.commit;
    expect(existsSync(join(cache, 'models--test-org--tiny-cls', 'snapshots', commit, 'model.safetensors'))).toBe(true);
    // the download drew a progress bar per file: model.safetensors from 0 to its size in bytes
    const size = statSync(join(model('tiny', 'AlbertForSequenceClassification'), 'model.safetensors')).size;
    const bar = r.progress.slice(r.progress.indexOf(`start ${size} model.safetensors`));
    expect(bar[0]).toBe(`start ${size} model.safetensors`);
    expect(bar.slice(1, bar.indexOf('stop')).at(-1)).toBe(`update ${size}`);
    const offline = await run('info', 'test-org/tiny-cls', '--cache-dir', cache, '--offline', '--json');
    expect(offline.code, offline.err).toBe(0);
    expect(JSON.parse(offline.out).parameters).toEqual(info.parameters);
  });

  it('a missing repository is a Hub error (exit 5) naming the repo', async () => {
    const r = await run('info', 'test-org/nope', '--cache-dir', cacheDir());
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/^error: .*404: repository test-org\/nope not found/);
  });

  it('fill-mask -m org/name equals the embedded model; then works with the server gone, without --offline', async () => {
    const cache = cacheDir();
    const local = await run('fill-mask', text, '--backend', 'onnx', '--json');
    expect(local.code, local.err).toBe(0);
    const hubRun = await run(
      'fill-mask',
      text,
      '-m',
      'test-org/tiny',
      '--cache-dir',
      cache,
      '--backend',
      'onnx',
      '--json',
    );
    expect(hubRun.code, hubRun.err).toBe(0);
    expect(JSON.parse(hubRun.out)).toEqual(JSON.parse(local.out));
    // special_tokens_map.json is not in the repo: remembered as huggingface_hub does (.no_exist)
    const storage = join(cache, 'models--test-org--tiny');
    const commit = readFileSync(join(storage, 'refs', 'main'), 'utf8');
    expect(readdirSync(join(storage, '.no_exist', commit))).toContain('special_tokens_map.json');
    process.env.HF_ENDPOINT = await deadEndpoint();
    try {
      const gone = await run(
        'fill-mask',
        text,
        '-m',
        'test-org/tiny',
        '--cache-dir',
        cache,
        '--backend',
        'onnx',
        '--json',
      );
      expect(gone.code, gone.err).toBe(0);
      expect(JSON.parse(gone.out)).toEqual(JSON.parse(local.out));
      // HF_HUB_OFFLINE: an uncached repo is a Hub error naming what is missing
      process.env.HF_HUB_OFFLINE = '1';
      const none = await run('info', 'test-org/tiny-cls', '--cache-dir', cache);
      expect(none.code).toBe(5);
      expect(none.err).toMatch(/test-org\/tiny-cls@main has no config\.json in the local cache \(HF_HUB_OFFLINE\)/);
    } finally {
      process.env.HF_ENDPOINT = hub.url;
      delete process.env.HF_HUB_OFFLINE;
    }
  });

  it('--revision pins, --token is sent, a gated repo without it is a 401 naming the fix', async () => {
    const cache = cacheDir();
    const v0 = await run('info', 'test-org/tiny', '--revision', 'v0', '--cache-dir', cache, '--json');
    expect(v0.code, v0.err).toBe(0);
    expect(JSON.parse(v0.out).architecture).toBe('AlbertForMaskedLM');
    expect(JSON.parse(v0.out).config.hidden_size).toBe(
      JSON.parse(readFileSync(join(model('tiny', 'AlbertForMaskedLM'), 'config.json'), 'utf8')).hidden_size,
    );
    const denied = await run('info', 'test-org/gated', '--cache-dir', cache);
    expect(denied.code).toBe(5);
    expect(denied.err).toMatch(/401 Unauthorized: repo test-org\/gated is gated or private; pass a token/);
    hub.log.length = 0;
    const ok = await run('info', 'test-org/gated', '--token', 'hf_cli', '--cache-dir', cache, '--json');
    expect(ok.code, ok.err).toBe(0);
    const api = hub.log.filter((e) => e.path.includes('test-org/gated/'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.filter((e) => e.authorization !== 'Bearer hf_cli')).toEqual([]);
  });

  it('Ctrl-C during a download leaves no lock that blocks the next run (which resumes the partial file)', async () => {
    const cache = cacheDir();
    // a slow CDN: the 2 MB weights arrive 16 kB every 100 ms, so the child is surely mid-download
    hub.fault({ kind: 'slow', match: '/cdn/', chunkMs: 100, chunkSize: 16_384 });
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=@albertjs/source', '--import', tsx, bin, 'info', 'test-org/tiny', '--cache-dir', cache],
      { env: { ...process.env, HF_ENDPOINT: hub.url }, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code, signal) => r(signal ? -1 : code)));
    const blobs = join(cache, 'models--test-org--tiny', 'blobs');
    const deadline = Date.now() + 30_000;
    // the weights' partial blob (not config.json's, which may sit complete-but-unrenamed for a moment)
    const weights = join(
      blobs,
      `${sha256(hub.repos.get('test-org/tiny')!.files.get('model.safetensors')!)}.incomplete`,
    );
    const partial = () => existsSync(weights) && statSync(weights).size > 0;
    while (!partial() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(partial()).toBe(true);
    const locks = join(cache, '.locks', 'models--test-org--tiny');
    expect(readdirSync(locks).length).toBe(1); // held by the child
    child.kill('SIGINT');
    expect(await exited).toBe(-1); // killed by the signal: no cleanup code ran
    const have = statSync(weights).size; // what the next run must resume from
    hub.reset();
    // the next run: the dead child's lock is broken at once (no wait, nothing printed) and the download resumes
    const waits: string[] = [];
    const t0 = Date.now();
    await loadCheckpoint('test-org/tiny', { cacheDir: cache, onLockWait: (m) => waits.push(m) });
    expect(waits).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const cdn = hub.log.filter((e) => e.path.startsWith('/cdn/'));
    expect(cdn.length).toBe(1);
    expect(cdn[0]!.range).toBe(`bytes=${have}-`);
    expect(existsSync(weights)).toBe(false);
    expect(readdirSync(locks)).toEqual([]);
  });
});
