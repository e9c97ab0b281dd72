// `--model <Hub id>`: the CLI downloads through core's Hub client into a Hugging Face cache folder, from a
// local server that answers in the Hub's URL layout (HF_ENDPOINT), and reports Hub errors with exit code 5.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { model, run } from './helpers.js';

const COMMIT = 'a'.repeat(40);

describe('Hub models', () => {
  let server: Server;
  let endpoint: string;
  let cache: string;
  const saved = process.env.HF_ENDPOINT;

  beforeAll(async () => {
    const repo = model('tiny', 'AlbertForSequenceClassification');
    server = createServer((req, res) => {
      const m = /^\/test-org\/tiny-cls\/resolve\/main\/(.+)$/.exec(req.url ?? '');
      const file = m ? join(repo, m[1]!) : undefined;
      if (!m) {
        res.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end();
        return;
      }
      if (!file || !existsSync(file)) {
        res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end();
        return;
      }
      const body = readFileSync(file);
      res.writeHead(200, {
        'content-length': body.byteLength,
        'x-repo-commit': COMMIT,
        etag: `"${createHash('sha256').update(body).digest('hex')}"`,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.HF_ENDPOINT = endpoint;
    cache = mkdtempSync(join(tmpdir(), 'albert-hf-cache-'));
  });

  afterAll(() => {
    server.close();
    if (saved === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = saved;
  });

  it('info downloads a Hub id into the cache layout and reads it back offline', async () => {
    const r = await run('info', 'test-org/tiny-cls', '--cache-dir', cache, '--json');
    expect(r.code, r.err).toBe(0);
    const info = JSON.parse(r.out);
    expect(info.architecture).toBe('AlbertForSequenceClassification');
    expect(info.loadReport).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    expect(existsSync(join(cache, 'models--test-org--tiny-cls', 'snapshots', COMMIT, 'model.safetensors'))).toBe(true);
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
    const r = await run('info', 'test-org/nope', '--cache-dir', cache);
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/^error: .*404: repository test-org\/nope not found/);
  });
});
