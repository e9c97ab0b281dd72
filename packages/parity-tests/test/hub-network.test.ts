// The Hub client on a bad network, against the local Hub mirror's fault injection: a HEAD that never answers, a
// body that stalls, 5xx answers, dropped connections (timeouts as huggingface_hub's HF_HUB_ETAG_TIMEOUT /
// HF_HUB_DOWNLOAD_TIMEOUT, bounded retries with backoff, resume with Range), and download locks left by dead, live
// or stale holders. Short timeouts keep every case well under a few seconds; every wait is bounded.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubError, HubTimeoutError, loadCheckpoint, readCheckpointDir } from '@albertjs/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HubMirror, sha256, startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { repoFromDir, repoRoot } from '../../../tooling/hub-mirror/repos.mjs';

const tinyDir = join(repoRoot, 'packages', 'parity-tests', 'fixtures', 'hf', 'models', 'tiny', 'AlbertForMaskedLM');
const REPO = 'net/tiny';
let hub: HubMirror;
let weightsSha: string;
const tmp = mkdtempSync(join(tmpdir(), 'albertjs-hub-net-'));
const cache = () => mkdtempSync(join(tmp, 'cache-'));
const fast = { maxRetries: 1, retryDelayMs: 20 };
const saved = { ...process.env };

async function sameAsFolder(got: Awaited<ReturnType<typeof loadCheckpoint>>) {
  const want = await readCheckpointDir(tinyDir);
  expect([...got.tensors.keys()].sort()).toEqual([...want.tensors.keys()].sort());
  const bytes = (d: ArrayBufferView) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  for (const [k, t] of want.tensors) expect(bytes(got.tensors.get(k)!.data).equals(bytes(t.data)), k).toBe(true);
}

beforeAll(async () => {
  for (const k of ['HF_TOKEN', 'HF_ENDPOINT', 'HF_HUB_OFFLINE', 'HF_HUB_ETAG_TIMEOUT', 'HF_HUB_DOWNLOAD_TIMEOUT'])
    delete process.env[k];
  process.env.HF_TOKEN_PATH = join(tmp, 'no-token');
  const repo = repoFromDir(tinyDir);
  weightsSha = sha256(repo.files.get('model.safetensors')!);
  hub = await startHubMirror({ repos: { [REPO]: repo } });
});
afterEach(() => hub.reset());
afterAll(async () => {
  process.env = saved;
  await hub.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** HEADs of the resolve URL (not counting the relative redirect to /api/resolve-cache/ that follows a success). */
const heads = (file: string) =>
  hub.log.filter((r) => r.method === 'HEAD' && r.path === `/${REPO}/resolve/main/${file}`).length;

describe('timeouts and retries', () => {
  it('a HEAD that never answers: HubTimeoutError naming the URL and the timeout, after bounded retries', async () => {
    hub.fault({ kind: 'stall', method: 'HEAD' });
    const t0 = Date.now();
    const err = await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir: cache(), etagTimeoutMs: 200, ...fast }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(HubTimeoutError);
    expect(err.message).toMatch(
      /^HEAD http:\/\/127\.0\.0\.1:\d+\/net\/tiny\/resolve\/main\/config\.json: no response within 0\.2 s \(etagTimeoutMs\); and config\.json of net\/tiny@main is not in the cache /,
    );
    expect(heads('config.json')).toBe(2); // one retry
    expect(Date.now() - t0).toBeLessThan(15_000); // bounded (undici alone waits 5 minutes)
    // the same through huggingface_hub's variable
    hub.log.length = 0;
    process.env.HF_HUB_ETAG_TIMEOUT = '0.2';
    try {
      await expect(loadCheckpoint(REPO, { endpoint: hub.url, cacheDir: cache(), maxRetries: 0 })).rejects.toThrow(
        /no response within 0\.2 s \(HF_HUB_ETAG_TIMEOUT\)/,
      );
      process.env.HF_HUB_ETAG_TIMEOUT = 'soon';
      await expect(loadCheckpoint(REPO, { endpoint: hub.url, cacheDir: cache() })).rejects.toThrow(
        /HF_HUB_ETAG_TIMEOUT="soon" is not a positive number of seconds/,
      );
    } finally {
      delete process.env.HF_HUB_ETAG_TIMEOUT;
    }
  });

  it('a stalled HEAD with the model cached: the cache answers, and only the first file waits', async () => {
    const cacheDir = cache();
    await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir });
    hub.log.length = 0;
    hub.fault({ kind: 'stall', method: 'HEAD' });
    const t0 = Date.now();
    await sameAsFolder(await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir, etagTimeoutMs: 200, ...fast }));
    expect(hub.log.filter((r) => r.method === 'HEAD').length).toBe(2); // config.json twice; the weights: no request
    expect(Date.now() - t0).toBeLessThan(15_000); // bounded (undici alone waits 5 minutes)
  });

  it('a body that stalls once is resumed with Range; one that always stalls fails naming URL, bytes and timeout', async () => {
    const cacheDir = cache();
    hub.fault({ kind: 'stall-body', match: '/cdn/', times: 1 });
    await sameAsFolder(await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir, downloadTimeoutMs: 300, ...fast }));
    const gets = hub.log.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/'));
    expect(gets.length).toBe(2);
    expect(gets[1]!.range).toMatch(/^bytes=[1-9]\d*-$/);

    hub.fault({ kind: 'stall-body', match: '/cdn/' });
    const err = await loadCheckpoint(REPO, {
      endpoint: hub.url,
      cacheDir: cache(),
      downloadTimeoutMs: 300,
      ...fast,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(HubTimeoutError);
    expect(err.message).toMatch(
      new RegExp(
        `^http://127\\.0\\.0\\.1:\\d+/cdn/${weightsSha}: no data for 0\\.3 s \\(downloadTimeoutMs\\) after \\d+ of \\d+ bytes \\(stalled body\\), 1 retry made; run again to resume$`,
      ),
    );
  });

  it('5xx answers and dropped connections are retried; a lasting 500 is a HubError with its status', async () => {
    hub.fault({ kind: 'status', status: 503, match: '/resolve/main/config.json', times: 2 });
    hub.fault({ kind: 'drop', match: '/cdn/', times: 1 });
    await sameAsFolder(
      await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir: cache(), maxRetries: 2, retryDelayMs: 20 }),
    );
    expect(heads('config.json')).toBe(3);
    expect(hub.log.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/')).length).toBe(2);

    hub.reset();
    hub.fault({ kind: 'status', status: 500 });
    const err = await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir: cache(), ...fast }).catch((e) => e);
    expect(err).toBeInstanceOf(HubError);
    expect(err.status).toBe(500);
    expect(err.message).toMatch(/config\.json: HTTP 500 Internal Server Error \(injected 500\)/);
    expect(heads('config.json')).toBe(2);
  });

  it('slow answers within the timeout are not failures', async () => {
    hub.fault({ kind: 'slow', ms: 150, chunkMs: 5, chunkSize: 262_144 });
    await sameAsFolder(
      await loadCheckpoint(REPO, {
        endpoint: hub.url,
        cacheDir: cache(),
        etagTimeoutMs: 2000,
        downloadTimeoutMs: 2000,
      }),
    );
  });
});

describe('download locks', () => {
  const lockOf = (cacheDir: string) => join(cacheDir, '.locks', 'models--net--tiny', `${weightsSha}.albertjs.lock`);
  const writeLock = (cacheDir: string, holder: object, ageMs = 0) => {
    const lock = lockOf(cacheDir);
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, JSON.stringify(holder));
    if (ageMs) utimesSync(lock, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
    return lock;
  };

  it('a lock of a dead process (same host) is broken at once, silently', async () => {
    const deadPid = Number(execFileSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' }).trim());
    const cacheDir = cache();
    writeLock(cacheDir, { pid: deadPid, host: hostname(), file: 'model.safetensors', repoId: REPO });
    const waits: string[] = [];
    await sameAsFolder(await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir, onLockWait: (m) => waits.push(m) }));
    expect(waits).toEqual([]);
    expect(existsSync(lockOf(cacheDir))).toBe(false);
  });

  it('a lock without heartbeat for over a minute is broken at once, even from another host', async () => {
    const cacheDir = cache();
    writeLock(cacheDir, { pid: process.pid, host: 'elsewhere', file: 'model.safetensors', repoId: REPO }, 120_000);
    const waits: string[] = [];
    await sameAsFolder(await loadCheckpoint(REPO, { endpoint: hub.url, cacheDir, onLockWait: (m) => waits.push(m) }));
    expect(waits).toEqual([]);
  });

  it('a live holder is waited for, and the wait is announced once, naming holder, file and lock', async () => {
    const cacheDir = cache();
    const lock = writeLock(cacheDir, { pid: process.pid, host: hostname(), file: 'model.safetensors', repoId: REPO });
    const waits: string[] = [];
    const loading = loadCheckpoint(REPO, { endpoint: hub.url, cacheDir, onLockWait: (m) => waits.push(m) });
    const deadline = Date.now() + 10_000;
    while (waits.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300)); // still waiting: no second message
    expect(waits).toEqual([
      `waiting for process ${process.pid} to finish downloading model.safetensors of net/tiny (lock ${lock})`,
    ]);
    rmSync(lock);
    await sameAsFolder(await loading);
    expect(waits.length).toBe(1);
    expect(readdirSync(join(lock, '..'))).toEqual([]);
  });
});
