// Every public entry point that takes a Hub id, against the local Hub mirror (tooling/hub-mirror): the tokenizers
// (compared with the HF reference ids in the fixtures' cases.json), AutoTokenizer's fast/slow choice (as
// transformers' AutoTokenizer), pipeline() and loadPretrained (compared with the same model read from its folder),
// revision pinning, the token header, gated repos, HF_ENDPOINT / env.remoteHost, and offline use of the cache.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DownloadProgress,
  env,
  HubError,
  loadCheckpoint,
  loadPretrained,
  readCheckpointDir,
} from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { pipeline } from '@albertjs/pipelines';
import { AlbertTokenizer, AlbertTokenizerFast, AutoTokenizer, BertTokenizer } from '@albertjs/tokenizer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HubMirror, startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { fixtureRepos, repoFromDir, repoRoot } from '../../../tooling/hub-mirror/repos.mjs';
import { caseFolders } from './tokenizer-cases.js';

const defaultDir = join(repoRoot, 'models', 'default');
const fixtures = join(repoRoot, 'packages', 'parity-tests', 'fixtures', 'hf');
const tok1000 = join(fixtures, 'tokenizers', 'spm-en-1000');
const tok8000 = join(fixtures, 'tokenizers', 'spm-en-8000');
const tinyMlm = join(fixtures, 'models', 'tiny', 'AlbertForMaskedLM');
const only = (...names: string[]) => ({ include: (f: string) => names.includes(f) });

let hub: HubMirror;
const tmp = mkdtempSync(join(tmpdir(), 'albertjs-hub-ids-'));
const cache = () => mkdtempSync(join(tmp, 'cache-'));
const saved = { ...process.env };

/** An endpoint on which nothing listens (connection refused). */
async function deadEndpoint(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  for (const k of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_ENDPOINT', 'HF_HUB_CACHE', 'HF_HOME', 'HF_HUB_OFFLINE'])
    delete process.env[k];
  process.env.HF_TOKEN_PATH = join(tmp, 'no-token');
  const v0 = repoFromDir(tok8000, only('spiece.model', 'tokenizer.json', 'tokenizer_config.json'));
  const tiny = repoFromDir(tinyMlm);
  hub = await startHubMirror({
    repos: {
      ...fixtureRepos(),
      // head: spm-en-1000's tokenizer + the default model; tag v0: spm-en-8000's tokenizer + the tiny fixture model
      'org/pinned': {
        ...repoFromDir(tok1000, only('spiece.model', 'tokenizer.json', 'tokenizer_config.json')),
        history: [{ files: new Map([...v0.files, ...tiny.files]), refs: ['v0'] }],
      },
      'org/spiece-only': repoFromDir(tok1000, only('spiece.model', 'tokenizer_config.json')),
      'org/json-only': repoFromDir(tok1000, only('tokenizer.json')),
      'org/bert': {
        files: {
          'vocab.txt': '[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n',
          'tokenizer_config.json': '{"tokenizer_class": "BertTokenizer"}',
        },
      },
      'org/gated-default': { files: fixtureRepos()['albertjs/default']!.files, token: 'hf_pipe' },
    },
  });
});
afterAll(async () => {
  process.env = saved;
  await hub.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('tokenizers from a Hub id', () => {
  const folder = caseFolders().find((f) => f.fx.name === 'spm-en-1000')!;
  const single = folder.cases.singles[0]!;

  it('AlbertTokenizerFast / AlbertTokenizer.fromPretrained(id) give the HF reference ids', async () => {
    const cacheDir = cache();
    const fast = await AlbertTokenizerFast.fromPretrained('albert-fixtures/spm-en-1000', {
      endpoint: hub.url,
      cacheDir,
    });
    expect(fast.call(single.text).input_ids).toEqual(single.tokenizers.ids);
    const slow = await AlbertTokenizer.fromPretrained('albert-fixtures/spm-en-1000', { endpoint: hub.url, cacheDir });
    const tokens = slow.tokenize(single.text, { splitSpecialTokens: true });
    expect(slow.convertTokensToIds(tokens)).toEqual(single.slow_ids);
    expect(existsSync(join(cacheDir, 'models--albert-fixtures--spm-en-1000', 'refs', 'main'))).toBe(true);
  });

  it('README id albert/albert-base-v2 through HF_ENDPOINT, and env.remoteHost (the browser setting)', async () => {
    const local = await AlbertTokenizerFast.fromPretrained(defaultDir);
    const text = 'The capital of France is [MASK].';
    process.env.HF_ENDPOINT = hub.url;
    process.env.HF_HUB_CACHE = cache();
    try {
      const t = await AlbertTokenizerFast.fromPretrained('albert/albert-base-v2');
      expect(t.call(text).input_ids).toEqual(local.call(text).input_ids);
    } finally {
      delete process.env.HF_ENDPOINT;
    }
    hub.log.length = 0;
    env.remoteHost = hub.url;
    try {
      await AutoTokenizer.fromPretrained('albertjs/default', { cacheDir: cache() });
      expect(hub.log.some((r) => r.path.startsWith('/albertjs/default/resolve/main/'))).toBe(true);
    } finally {
      env.remoteHost = undefined;
      delete process.env.HF_HUB_CACHE;
    }
  });

  it('AutoTokenizer picks fast / slow / BERT as transformers does', async () => {
    const o = { endpoint: hub.url, cacheDir: cache() };
    expect(await AutoTokenizer.fromPretrained('albert-fixtures/spm-en-1000', o)).toBeInstanceOf(AlbertTokenizerFast);
    const slow = await AutoTokenizer.fromPretrained('albert-fixtures/spm-en-1000', { ...o, useFast: false });
    expect(slow).toBeInstanceOf(AlbertTokenizer);
    // only spiece.model: the fast tokenizer converted from it (transformers' AlbertConverter)
    const converted = await AutoTokenizer.fromPretrained('org/spiece-only', o);
    expect(converted).toBeInstanceOf(AlbertTokenizerFast);
    expect((converted as AlbertTokenizerFast).call(single.text).input_ids).toEqual(single.tokenizers.ids);
    expect(await AutoTokenizer.fromPretrained('org/bert', o)).toBeInstanceOf(BertTokenizer);
    await expect(AutoTokenizer.fromPretrained('org/json-only', { ...o, useFast: false })).rejects.toThrow(
      /org\/json-only@main: AlbertTokenizer needs spiece\.model .*only tokenizer\.json: use AlbertTokenizerFast/,
    );
    await expect(AlbertTokenizerFast.fromPretrained('org/nope', o)).rejects.toThrow(
      /404: repository org\/nope not found/,
    );
  });

  it('revision pins the tokenizer and the model', async () => {
    const o = { endpoint: hub.url, cacheDir: cache() };
    expect((await AlbertTokenizerFast.fromPretrained('org/pinned', o)).vocabSize).toBe(1000);
    expect((await AlbertTokenizerFast.fromPretrained('org/pinned', { ...o, revision: 'v0' })).vocabSize).toBe(8000);
    expect((await AlbertTokenizer.fromPretrained('org/pinned', { ...o, revision: 'v0' })).vocabSize).toBe(8000);
    const m = await loadPretrained('org/pinned', 'AlbertForMaskedLM', { ...o, revision: 'v0' });
    const local = await loadPretrained(tinyMlm, 'AlbertForMaskedLM');
    expect(m.config).toEqual(local.config);
    for (const k of local.weights.keys()) expect(m.weights.get(k).data).toEqual(local.weights.get(k).data);
    await expect(loadPretrained('org/pinned', 'AlbertForMaskedLM', { ...o, revision: 'v9' })).rejects.toThrow(
      /404: revision "v9" not found in org\/pinned/,
    );
  });

  it('a HF cache folder (models--org--name) is a source too', async () => {
    const cacheDir = cache();
    await AlbertTokenizerFast.fromPretrained('albert-fixtures/spm-en-1000', { endpoint: hub.url, cacheDir });
    const t = await AlbertTokenizerFast.fromPretrained(join(cacheDir, 'models--albert-fixtures--spm-en-1000'));
    expect(t.call(single.text).input_ids).toEqual(single.tokenizers.ids);
  });
});

describe('pipeline() and loadPretrained from a Hub id', () => {
  it('pipeline(task, id, { revision, token, progressCallback, cacheDir }) equals the local folder; then offline', async () => {
    const backend = await createBackend();
    const cacheDir = cache();
    const text = 'The capital of France is [MASK].';
    const local = await (await pipeline('fill-mask', defaultDir, { backend })).run(text);
    await expect(pipeline('fill-mask', 'org/gated-default', { backend, endpoint: hub.url, cacheDir })).rejects.toThrow(
      /401 Unauthorized: repo org\/gated-default is gated or private; pass a token/,
    );
    hub.log.length = 0;
    const progress: DownloadProgress[] = [];
    const fill = await pipeline('fill-mask', 'org/gated-default', {
      backend,
      endpoint: hub.url,
      cacheDir,
      revision: 'main',
      token: 'hf_pipe',
      progressCallback: (p) => progress.push(p),
    });
    expect(await fill.run(text)).toEqual(local);
    const api = hub.log.filter((r) => r.path.includes('org/gated-default/'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.filter((r) => r.authorization !== 'Bearer hf_pipe')).toEqual([]);
    const size = readFileSync(join(defaultDir, 'model.safetensors')).length;
    expect(progress.filter((p) => p.file === 'model.safetensors').at(-1)).toEqual({
      file: 'model.safetensors',
      loaded: size,
      total: size,
    });
    // the repo has no special_tokens_map.json: recorded as huggingface_hub does, so offline runs know it is absent
    const storage = join(cacheDir, 'models--org--gated-default');
    const commit = readFileSync(join(storage, 'refs', 'main'), 'utf8');
    expect(existsSync(join(storage, '.no_exist', commit, 'special_tokens_map.json'))).toBe(true);

    // the server gone: everything from the cache, without any offline flag
    const dead = await deadEndpoint();
    const again = await pipeline('fill-mask', 'org/gated-default', { backend, endpoint: dead, cacheDir });
    expect(await again.run(text)).toEqual(local);
    // offline: no request at all (option, and HF_HUB_OFFLINE)
    hub.log.length = 0;
    await pipeline('fill-mask', 'org/gated-default', { backend, endpoint: hub.url, cacheDir, offline: true });
    process.env.HF_HUB_OFFLINE = '1';
    try {
      await AutoTokenizer.fromPretrained('org/gated-default', { endpoint: hub.url, cacheDir });
      await loadPretrained('org/gated-default', 'AlbertForMaskedLM', { endpoint: hub.url, cacheDir });
      await expect(AutoTokenizer.fromPretrained('albertjs/default', { endpoint: hub.url, cacheDir })).rejects.toThrow(
        /albertjs\/default@main: no tokenizer files/,
      );
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
    expect(hub.log).toEqual([]);
    await backend.dispose?.();
  });

  it('a dead server and nothing cached: a HubError naming the URL, at once', async () => {
    const dead = await deadEndpoint();
    const t0 = Date.now();
    const err = await AlbertTokenizerFast.fromPretrained('albertjs/default', {
      endpoint: dead,
      cacheDir: cache(),
      retryDelayMs: 30_000, // a retry would wait 30 s: the bound below proves there was none
    }).catch((e) => e);
    expect(err).toBeInstanceOf(HubError);
    expect(err.message).toMatch(
      new RegExp(
        `cannot reach ${dead.replace(/[.:/]/g, '\\$&')}/albertjs/default/resolve/main/tokenizer_config\\.json: .*not in the cache`,
      ),
    );
    expect(Date.now() - t0).toBeLessThan(20_000); // refused connections are not retried
  });
});

describe('in a browser (no process, the Cache API)', () => {
  it('fetches from env.remoteHost, keeps files in the Cache API, serves them from it (also offline)', async () => {
    // a browser as core sees one: no process (so no disk cache, no process.env), a CacheStorage
    const store = new Map<string, Response>();
    const opened: string[] = [];
    const caches = {
      open: async (name: string) => {
        opened.push(name);
        return {
          match: async (url: string) => store.get(url)?.clone(),
          put: async (url: string, res: Response) => {
            store.set(url, res);
          },
        };
      },
    };
    const want = await readCheckpointDir(defaultDir);
    const same = (got: Awaited<ReturnType<typeof loadCheckpoint>>) => {
      expect([...got.tensors.keys()].sort()).toEqual([...want.tensors.keys()].sort());
      const bytes = (d: ArrayBufferView) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);
      for (const [k, t] of want.tensors) expect(bytes(got.tensors.get(k)!.data).equals(bytes(t.data)), k).toBe(true);
    };
    const text = 'The capital of France is [MASK].';
    const localTok = await AlbertTokenizerFast.fromPretrained(defaultDir);
    hub.log.length = 0;
    vi.stubGlobal('caches', caches);
    vi.stubGlobal('process', { env: {}, versions: {} });
    env.remoteHost = hub.url;
    try {
      const first = await loadCheckpoint('albertjs/default');
      same(first);
      expect(first.files).toEqual([
        `${hub.url}/albertjs/default/resolve/main/config.json`,
        `${hub.url}/albertjs/default/resolve/main/model.safetensors`,
      ]);
      expect((await AlbertTokenizerFast.fromPretrained('albertjs/default')).call(text).input_ids).toEqual(
        localTok.call(text).input_ids,
      );
      expect(opened.every((n) => n === 'albertjs-hub')).toBe(true);
      expect(store.has(`${hub.url}/albertjs/default/resolve/main/model.safetensors`)).toBe(true);
      expect(hub.log.some((r) => r.method === 'GET' && r.path.startsWith('/cdn/'))).toBe(true);
      // again: everything from the Cache API, no request
      hub.log.length = 0;
      same(await loadCheckpoint('albertjs/default'));
      expect((await AlbertTokenizerFast.fromPretrained('albertjs/default')).call(text).input_ids).toEqual(
        localTok.call(text).input_ids,
      );
      expect(hub.log).toEqual([]);
      // offline: the cache only; a repo not in it is named
      env.offline = true;
      same(await loadCheckpoint('albertjs/default'));
      await expect(loadCheckpoint('albert/albert-base-v2')).rejects.toThrow(
        /albert\/albert-base-v2@main has no config\.json in the local cache/,
      );
      expect(hub.log).toEqual([]);
      env.offline = undefined;
      // useBrowserCache false: fetched again
      env.useBrowserCache = false;
      same(await loadCheckpoint('albertjs/default'));
      expect(hub.log.some((r) => r.method === 'GET' && r.path.startsWith('/cdn/'))).toBe(true);
    } finally {
      vi.unstubAllGlobals();
      env.remoteHost = undefined;
      env.offline = undefined;
      env.useBrowserCache = true;
    }
  });
});
