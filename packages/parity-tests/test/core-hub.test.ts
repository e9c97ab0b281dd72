// loadPretrained against the local Hub mirror (tooling/hub-mirror) serving the fixture models in the Hub's URL layout:
// downloads into huggingface_hub's cache layout, resumes, checks sha256, maps 401/404/truncation to HubError,
// follows redirects, and reuses the cache offline. Never contacts the real Hub.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DownloadProgress,
  HubError,
  hubFile,
  loadCheckpoint,
  loadPretrained,
  readCheckpointDir,
  resolveCacheDir,
  resolveEndpoint,
  serializeFlaxMsgpack,
  shardSafetensors,
  type Tensor,
} from '@albertjs/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commitOf, gitBlobSha1, type HubMirror, sha256, startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { listCases, listCheckpoints } from '../src/index.js';

const tiny = listCases().find((c) => c.model_dir === 'models/tiny/AlbertForMaskedLM')!.modelPath;
const groupsBin = listCheckpoints()
  .find((c) => c.name === 'groups/AlbertForSequenceClassification')!
  .formats.find((f) => f.format === 'pytorch_model.bin')!.path;
const groupsRef = listCheckpoints().find((c) => c.name === 'groups/AlbertForSequenceClassification')!.reference;

const read = (p: string) => new Uint8Array(readFileSync(p));
let hub: HubMirror;
let cacheDir: string;
let ref: Map<string, Tensor>;
const tmpRoot = mkdtempSync(join(tmpdir(), 'albertjs-hub-'));

function expectSameTensors(a: Map<string, Tensor> | ReadonlyMap<string, Tensor>, b: Map<string, Tensor>) {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, t] of b) expect(Buffer.from(a.get(k)!.data.buffer).equals(Buffer.from(t.data.buffer)), k).toBe(true);
}

const savedEnv = { ...process.env };
beforeAll(async () => {
  // the machine's own Hub settings must not leak into these tests
  for (const k of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_ENDPOINT', 'HF_HUB_CACHE', 'HF_HOME'])
    delete process.env[k];
  process.env.HF_TOKEN_PATH = join(tmpRoot, 'no-token-here');
  const cfg = read(join(tiny, 'config.json'));
  const st = read(join(tiny, 'model.safetensors'));
  ref = (await readCheckpointDir(tiny)).tensors;
  const { index, shards } = shardSafetensors(ref, 30_000);
  hub = await startHubMirror({
    repos: {
      'albert-test/tiny-mlm': {
        commit: commitOf('tiny'),
        refs: ['refs/pr/1', 'v1.0'],
        files: new Map([
          ['config.json', cfg],
          ['model.safetensors', st],
        ]),
      },
      'albert-test/groups-bin': {
        commit: commitOf('groups'),
        files: new Map([
          ['config.json', read(join(groupsRef, 'config.json'))],
          ['pytorch_model.bin', read(groupsBin)],
        ]),
      },
      'albert-test/tiny-flax': {
        commit: commitOf('flax'),
        files: new Map([
          ['config.json', cfg],
          ['flax_model.msgpack', serializeFlaxMsgpack(ref)],
        ]),
      },
      'albert-test/tiny-sharded': {
        commit: commitOf('sharded'),
        files: new Map([
          ['config.json', cfg],
          ['model.safetensors.index.json', new TextEncoder().encode(JSON.stringify(index))],
          ...shards,
        ]),
      },
      'albert-test/all-formats': {
        commit: commitOf('all'),
        files: new Map([
          ['config.json', cfg],
          ['model.safetensors', st],
          ['pytorch_model.bin', read(groupsBin)],
          ['flax_model.msgpack', serializeFlaxMsgpack(ref)],
        ]),
      },
      'albert-test/gated': {
        commit: commitOf('gated'),
        token: 'hf_secret',
        files: new Map([
          ['config.json', cfg],
          ['model.safetensors', st],
        ]),
      },
      'albert-test/no-weights': { commit: commitOf('nw'), files: new Map([['config.json', cfg]]) },
    },
  });
});
afterAll(async () => {
  process.env = savedEnv;
  await hub.close();
  rmSync(tmpRoot, { recursive: true, force: true });
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpRoot, 'cache-'));
  hub.log.length = 0;
});
afterEach(() => hub.reset());

const opts = () => ({ endpoint: hub.url, cacheDir });

describe('download into the huggingface_hub cache layout', () => {
  it('loads a Hub repo to the same tensors as the local folder, with refs/blobs/snapshots as Python writes them', async () => {
    const progress: DownloadProgress[] = [];
    const m = await loadPretrained('albert-test/tiny-mlm', 'AlbertForMaskedLM', {
      ...opts(),
      onProgress: (p) => progress.push(p),
    });
    expect(m.format).toBe('safetensors');
    expect(m.report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    const local = await loadPretrained(tiny, 'AlbertForMaskedLM');
    for (const k of local.weights.keys()) expect(m.weights.get(k).data).toEqual(local.weights.get(k).data);

    const storage = join(cacheDir, 'models--albert-test--tiny-mlm');
    const commit = commitOf('tiny');
    expect(readFileSync(join(storage, 'refs', 'main'), 'utf8')).toBe(commit);
    const st = read(join(tiny, 'model.safetensors'));
    const snap = join(storage, 'snapshots', commit, 'model.safetensors');
    expect(lstatSync(snap).isSymbolicLink()).toBe(true);
    expect(readlinkSync(snap)).toBe(join('..', '..', 'blobs', sha256(st)));
    expect(readlinkSync(join(storage, 'snapshots', commit, 'config.json'))).toBe(
      join('..', '..', 'blobs', gitBlobSha1(read(join(tiny, 'config.json')))),
    );
    expect(m.files).toEqual([join(storage, 'snapshots', commit, 'config.json'), snap]);
    const last = progress.filter((p) => p.file === 'model.safetensors').at(-1)!;
    expect(last).toEqual({ file: 'model.safetensors', loaded: st.length, total: st.length });

    // second load: metadata requests only, no body downloads
    hub.log.length = 0;
    await loadPretrained('albert-test/tiny-mlm', 'AlbertForMaskedLM', opts());
    expect(hub.log.filter((r) => r.method === 'GET')).toEqual([]);
  });

  it('concurrent loads of one repo download each blob once', async () => {
    const waits: string[] = [];
    const onLockWait = (m: string) => waits.push(m);
    const [a, b] = await Promise.all([
      loadCheckpoint('albert-test/tiny-mlm', { ...opts(), onLockWait }),
      loadCheckpoint('albert-test/tiny-mlm', { ...opts(), onLockWait }),
    ]);
    // the second waits on the first (a live holder), and says so once per file it waits for
    for (const w of waits)
      expect(w).toMatch(/^waiting for process \d+ to finish downloading \S+ of albert-test\/tiny-mlm \(lock /);
    expect(new Set(waits).size).toBe(waits.length);
    expectSameTensors(a.tensors, ref);
    expectSameTensors(b.tensors, ref);
    expect(hub.log.filter((r) => r.path.startsWith('/cdn/') && r.method === 'GET').length).toBe(1);
    expect(readdirSync(join(cacheDir, '.locks', 'models--albert-test--tiny-mlm'))).toEqual([]);
  });

  it('picks the best format the repo has and downloads nothing else', async () => {
    const all = await loadCheckpoint('albert-test/all-formats', opts());
    expect(all.format).toBe('safetensors');
    expect(hub.log.some((r) => r.path.endsWith('pytorch_model.bin') || r.path.endsWith('flax_model.msgpack'))).toBe(
      false,
    );

    const bin = await loadPretrained('albert-test/groups-bin', 'AlbertForSequenceClassification', opts());
    expect(bin.format).toBe('pytorch');
    expect(bin.report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    expectSameTensors(
      (await loadCheckpoint('albert-test/groups-bin', opts())).tensors,
      (await readCheckpointDir(groupsRef)).tensors,
    );

    const flax = await loadCheckpoint('albert-test/tiny-flax', opts());
    expect(flax.format).toBe('flax');
    expectSameTensors(flax.tensors, ref);

    const sharded = await loadCheckpoint('albert-test/tiny-sharded', opts());
    expect(sharded.format).toBe('safetensors-sharded');
    expect(sharded.files.length).toBeGreaterThan(2);
    expectSameTensors(sharded.tensors, ref);
  });

  it('reuses the cache with localFilesOnly, when the Hub is unreachable, and for a commit revision', async () => {
    await loadCheckpoint('albert-test/tiny-mlm', opts());
    hub.log.length = 0;
    const offline = await loadCheckpoint('albert-test/tiny-mlm', { ...opts(), localFilesOnly: true });
    expectSameTensors(offline.tensors, ref);
    const byCommit = await loadCheckpoint('albert-test/tiny-mlm', { ...opts(), revision: commitOf('tiny') });
    expectSameTensors(byCommit.tensors, ref);
    expect(hub.log).toEqual([]);
    // an endpoint nobody listens on: falls back to the cached snapshot of refs/main
    const dead = await loadCheckpoint('albert-test/tiny-mlm', { cacheDir, endpoint: 'http://127.0.0.1:9' });
    expectSameTensors(dead.tensors, ref);
    await expect(
      loadCheckpoint('albert-test/groups-bin', { cacheDir, endpoint: 'http://127.0.0.1:9' }),
    ).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:9\/.*not in the cache/);
    await expect(loadCheckpoint('albert-test/groups-bin', { ...opts(), localFilesOnly: true })).rejects.toThrow(
      /albert-test\/groups-bin@main has no config\.json in the local cache \(localFilesOnly\)/,
    );
  });

  it('reads a cache written by Python (no network) and uses HF_ENDPOINT / HF_HUB_CACHE', async () => {
    // the layout huggingface_hub writes: refs/main, blobs/<etag>, snapshots/<commit>/<file> → ../../blobs/<etag>
    const storage = join(cacheDir, 'models--albert--albert-tiny');
    mkdirSync(join(storage, 'snapshots', 'a'.repeat(40)), { recursive: true });
    mkdirSync(join(storage, 'refs'), { recursive: true });
    writeFileSync(join(storage, 'refs', 'main'), 'a'.repeat(40));
    writeFileSync(join(storage, 'snapshots', 'a'.repeat(40), 'config.json'), read(join(tiny, 'config.json')));
    writeFileSync(
      join(storage, 'snapshots', 'a'.repeat(40), 'model.safetensors'),
      read(join(tiny, 'model.safetensors')),
    );
    const prev = { ...process.env };
    try {
      process.env.HF_HUB_CACHE = cacheDir;
      process.env.HF_ENDPOINT = hub.url;
      expect(await resolveCacheDir()).toBe(cacheDir);
      expect(resolveEndpoint()).toBe(hub.url);
      expectSameTensors((await loadCheckpoint('albert/albert-tiny', { localFilesOnly: true })).tensors, ref);
      expectSameTensors((await loadCheckpoint('albert-test/tiny-mlm')).tensors, ref);
      expect(existsSync(join(cacheDir, 'models--albert-test--tiny-mlm', 'refs', 'main'))).toBe(true);
      delete process.env.HF_HUB_CACHE;
      process.env.HF_HOME = join(tmpRoot, 'home');
      expect(await resolveCacheDir()).toBe(join(tmpRoot, 'home', 'hub'));
      expect(resolveEndpoint('http://mirror.local/')).toBe('http://mirror.local');
    } finally {
      process.env = prev;
    }
  });
});

describe('revisions', () => {
  it('a PR ref nests under refs/ as huggingface_hub writes it; bad revisions and file names are refused', async () => {
    const m = await loadCheckpoint('albert-test/tiny-mlm', { ...opts(), revision: 'refs/pr/1' });
    expectSameTensors(m.tensors, ref);
    expect(readFileSync(join(cacheDir, 'models--albert-test--tiny-mlm', 'refs', 'refs', 'pr', '1'), 'utf8')).toBe(
      commitOf('tiny'),
    );
    await loadCheckpoint('albert-test/tiny-mlm', { ...opts(), revision: 'v1.0' });
    expect(readFileSync(join(cacheDir, 'models--albert-test--tiny-mlm', 'refs', 'v1.0'), 'utf8')).toBe(
      commitOf('tiny'),
    );
    await expect(loadCheckpoint('albert-test/tiny-mlm', { ...opts(), revision: '../../../etc' })).rejects.toThrow(
      /revision "\.\.\/\.\.\/\.\.\/etc" is not a valid branch, tag or commit name/,
    );
    await expect(hubFile('albert-test/tiny-mlm', '../config.json', { ...opts(), revision: 'main' })).rejects.toThrow(
      /"\.\.\/config\.json" is not a valid file path inside a repo/,
    );
  });

  it('offline, a Python cache holding only pytorch_model.bin still loads', async () => {
    const storage = join(cacheDir, 'models--albert--groups');
    const snap = join(storage, 'snapshots', 'b'.repeat(40));
    mkdirSync(snap, { recursive: true });
    mkdirSync(join(storage, 'refs'), { recursive: true });
    writeFileSync(join(storage, 'refs', 'main'), 'b'.repeat(40));
    writeFileSync(join(snap, 'config.json'), read(join(groupsRef, 'config.json')));
    writeFileSync(join(snap, 'pytorch_model.bin'), read(groupsBin));
    const dead = { cacheDir, endpoint: 'http://127.0.0.1:9' };
    const m = await loadPretrained('albert/groups', 'AlbertForSequenceClassification', dead);
    expect(m.format).toBe('pytorch');
    expect(m.report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    rmSync(join(snap, 'pytorch_model.bin'));
    await expect(loadCheckpoint('albert/groups', dead)).rejects.toThrow(
      /model\.safetensors of albert\/groups@main is not in the cache .*, and the Hub is unreachable: cannot reach http:\/\/127\.0\.0\.1:9\//,
    );
  });
});

describe('Hub errors are HubErrors that say what happened', () => {
  it('404: unknown repo, unknown revision, repo without weights', async () => {
    await expect(loadCheckpoint('albert-test/nope', opts())).rejects.toThrow(HubError);
    await expect(loadCheckpoint('albert-test/nope', opts())).rejects.toThrow(
      /404: repository albert-test\/nope not found \(or private: pass a token\)/,
    );
    await expect(loadCheckpoint('albert-test/tiny-mlm', { ...opts(), revision: 'v9' })).rejects.toThrow(
      /404: revision "v9" not found in albert-test\/tiny-mlm/,
    );
    await expect(loadCheckpoint('albert-test/no-weights', opts())).rejects.toThrow(
      /albert-test\/no-weights@main has no weights file \(looked for model\.safetensors/,
    );
    await expect(loadCheckpoint('not a repo!', opts())).rejects.toThrow(
      /"not a repo!" is neither a local folder nor a valid Hub repo id/,
    );
  });

  it('401: a gated repo needs a token, and the token is sent', async () => {
    const err = await loadCheckpoint('albert-test/gated', opts()).catch((e) => e);
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).status).toBe(401);
    expect((err as Error).message).toMatch(
      /401 Unauthorized: repo albert-test\/gated is gated or private; pass a token \(option `token` or HF_TOKEN\)/,
    );
    await expect(loadCheckpoint('albert-test/gated', { ...opts(), token: 'wrong' })).rejects.toThrow(
      /the token was rejected or has no access/,
    );
    hub.log.length = 0;
    hub.cdnHost = 'localhost'; // another origin than 127.0.0.1: the token must not follow the download there
    const ok = await loadCheckpoint('albert-test/gated', { ...opts(), token: 'hf_secret' });
    expectSameTensors(ok.tensors, ref);
    const api = hub.log.filter((r) => r.path.includes('/albert-test/gated/'));
    const cdn = hub.log.filter((r) => r.path.startsWith('/cdn/'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.authorization === 'Bearer hf_secret')).toBe(true);
    expect(cdn.length).toBe(1);
    expect(cdn[0]!.authorization).toBeUndefined();
  });

  it('uses the token `huggingface-cli login` stored (HF_TOKEN_PATH / $HF_HOME/token) when none is given', async () => {
    writeFileSync(join(tmpRoot, 'stored-token'), 'hf_secret\n');
    process.env.HF_TOKEN_PATH = join(tmpRoot, 'stored-token');
    try {
      expectSameTensors((await loadCheckpoint('albert-test/gated', opts())).tensors, ref);
      expect(
        hub.log
          .filter((r) => r.path.includes('/albert-test/gated/'))
          .every((r) => r.authorization === 'Bearer hf_secret'),
      ).toBe(true);
    } finally {
      process.env.HF_TOKEN_PATH = join(tmpRoot, 'no-token-here');
    }
  });

  it('without retries, a truncated body fails clearly, keeps the partial file, and the next call resumes with Range', async () => {
    const st = read(join(tiny, 'model.safetensors'));
    const sha = sha256(st);
    hub.fault({ kind: 'truncate', match: `/cdn/${sha}`, method: 'GET', times: 1 });
    await expect(loadCheckpoint('albert-test/tiny-mlm', { ...opts(), maxRetries: 0 })).rejects.toThrow(
      /connection lost after \d+ of \d+ bytes \(truncated body\); run again to resume/,
    );
    const partial = join(cacheDir, 'models--albert-test--tiny-mlm', 'blobs', `${sha}.incomplete`);
    const have = lstatSync(partial).size;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThan(st.length);
    hub.log.length = 0;
    const again = await loadCheckpoint('albert-test/tiny-mlm', opts());
    expectSameTensors(again.tensors, ref);
    expect(hub.log.find((r) => r.path === `/cdn/${sha}` && r.method === 'GET')?.range).toBe(`bytes=${have}-`);
    expect(existsSync(partial)).toBe(false);
  });

  it('resumes a partial download left by another process', async () => {
    const st = read(join(tiny, 'model.safetensors'));
    const blobs = join(cacheDir, 'models--albert-test--tiny-mlm', 'blobs');
    mkdirSync(blobs, { recursive: true });
    writeFileSync(join(blobs, `${sha256(st)}.incomplete`), st.subarray(0, 1000));
    const m = await loadCheckpoint('albert-test/tiny-mlm', opts());
    expectSameTensors(m.tensors, ref);
    expect(hub.log.find((r) => r.path.startsWith('/cdn/'))?.range).toBe('bytes=1000-');
  });

  it('content that does not match the sha256 ETag is rejected and removed', async () => {
    const sha = sha256(read(join(tiny, 'model.safetensors')));
    hub.fault({ kind: 'corrupt', match: `/cdn/${sha}` });
    await expect(loadCheckpoint('albert-test/tiny-mlm', opts())).rejects.toThrow(
      new RegExp(
        `sha256 of the downloaded model\\.safetensors is [0-9a-f]{64}, the Hub says ${sha} \\(corrupt download, removed\\)`,
      ),
    );
    expect(existsSync(join(cacheDir, 'models--albert-test--tiny-mlm', 'blobs', `${sha}.incomplete`))).toBe(false);
    expect(existsSync(join(cacheDir, 'models--albert-test--tiny-mlm', 'blobs', sha))).toBe(false);
  });
});

describe('without the disk cache (browsers, cache: false)', () => {
  it('fetches straight from the endpoint into memory and maps errors the same way', async () => {
    const m = await loadCheckpoint('albert-test/tiny-mlm', { ...opts(), cache: false });
    expectSameTensors(m.tensors, ref);
    expect(m.files).toEqual([
      `${hub.url}/albert-test/tiny-mlm/resolve/main/config.json`,
      `${hub.url}/albert-test/tiny-mlm/resolve/main/model.safetensors`,
    ]);
    expect(readdirSync(cacheDir)).toEqual([]);
    const bin = await loadCheckpoint('albert-test/groups-bin', { ...opts(), cache: false });
    expect(bin.format).toBe('pytorch');
    await expect(loadCheckpoint('albert-test/gated', { ...opts(), cache: false })).rejects.toThrow(
      /401 Unauthorized: repo albert-test\/gated is gated or private/,
    );
    await expect(loadCheckpoint('albert-test/nope', { ...opts(), cache: false })).rejects.toThrow(
      /repository albert-test\/nope not found/,
    );
    await expect(
      loadCheckpoint('albert-test/tiny-mlm', { ...opts(), cache: false, localFilesOnly: true }),
    ).rejects.toThrow(/localFilesOnly \/ offline without a cache \(cache: false\)/);
  });
});

describe('redirects', () => {
  it('follows a renamed repo (relative redirect) and a CDN redirect chain', async () => {
    hub.renamed.set('old-org/tiny', 'albert-test/tiny-mlm');
    hub.cdnHop = true;
    const m = await loadCheckpoint('old-org/tiny', opts());
    expectSameTensors(m.tensors, ref);
    expect(hub.log.some((r) => r.path.startsWith('/cdn2/'))).toBe(true);
    expect(readFileSync(join(cacheDir, 'models--old-org--tiny', 'refs', 'main'), 'utf8')).toBe(commitOf('tiny'));
  });
});
