// The local Hub mirror (tooling/hub-mirror) itself: the Hub's headers, redirects, Range, errors, CORS, faults,
// and the `serve.mjs` command line that other tiers start.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBlobSha1, type HubMirror, sha256, startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { fixtureRepos } from '../../../tooling/hub-mirror/repos.mjs';

let hub: HubMirror;
const weights = new Uint8Array(5000).map((_, i) => (i * 7) % 251);
beforeAll(async () => {
  hub = await startHubMirror({
    repos: {
      'org/tiny': {
        files: { 'config.json': '{"a":1}', 'model.safetensors': weights },
        refs: ['v1'],
        history: [{ commit: 'c'.repeat(40), files: { 'config.json': '{"a":0}' }, refs: ['v0'] }],
      },
      'org/gated': { files: { 'config.json': '{}' }, token: 'hf_x' },
    },
  });
});
afterAll(() => hub.close());

describe('hub mirror', () => {
  it('answers as huggingface.co: relative 307 to resolve-cache, 302 to the CDN with X-Linked-Etag, Range', async () => {
    const head = await fetch(`${hub.url}/org/tiny/resolve/main/config.json`, { method: 'HEAD', redirect: 'manual' });
    const commit = hub.repos.get('org/tiny')!.commit;
    expect(head.status).toBe(307);
    expect(head.headers.get('x-repo-commit')).toBe(commit);
    expect(head.headers.get('location')).toMatch(
      new RegExp(`^/api/resolve-cache/models/org/tiny/${commit}/config\\.json\\?`),
    );
    const cfg = await fetch(`${hub.url}/org/tiny/resolve/main/config.json`);
    expect(await cfg.text()).toBe('{"a":1}');
    expect(cfg.headers.get('etag')).toBe(`"${gitBlobSha1(new TextEncoder().encode('{"a":1}'))}"`);
    const lfs = await fetch(`${hub.url}/org/tiny/resolve/v1/model.safetensors`, { method: 'HEAD', redirect: 'manual' });
    expect(lfs.status).toBe(302);
    expect(lfs.headers.get('x-linked-etag')).toBe(`"${sha256(weights)}"`);
    expect(lfs.headers.get('x-linked-size')).toBe('5000');
    const part = await fetch(lfs.headers.get('location')!, { headers: { range: 'bytes=4990-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 4990-4999/5000');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([...weights.subarray(4990)]);
    expect((await fetch(lfs.headers.get('location')!, { headers: { range: 'bytes=6000-' } })).status).toBe(416);
    const old = await fetch(`${hub.url}/org/tiny/resolve/v0/config.json`);
    expect([await old.text(), old.headers.get('x-repo-commit')]).toEqual(['{"a":0}', 'c'.repeat(40)]);
  });

  it('model info lists siblings; errors carry X-Error-Code; gated repos need the token; CORS', async () => {
    const info = await (await fetch(`${hub.url}/api/models/org/tiny/revision/main?blobs=true`)).json();
    expect(info.sha).toBe(hub.repos.get('org/tiny')!.commit);
    expect(info.siblings.map((s: { rfilename: string }) => s.rfilename)).toEqual(['config.json', 'model.safetensors']);
    expect(info.siblings[1].lfs.sha256).toBe(sha256(weights));
    const code = async (u: string, init?: RequestInit) => {
      const r = await fetch(`${hub.url}${u}`, init);
      return [r.status, r.headers.get('x-error-code')];
    };
    expect(await code('/org/nope/resolve/main/config.json')).toEqual([404, 'RepoNotFound']);
    expect(await code('/org/tiny/resolve/v9/config.json')).toEqual([404, 'RevisionNotFound']);
    expect(await code('/org/tiny/resolve/main/nope.json')).toEqual([404, 'EntryNotFound']);
    expect(await code('/org/gated/resolve/main/config.json')).toEqual([401, 'GatedRepo']);
    expect(await code('/org/gated/resolve/main/config.json', { headers: { authorization: 'Bearer hf_x' } })).toEqual([
      200,
      null,
    ]);
    const pre = await fetch(`${hub.url}/org/tiny/resolve/main/config.json`, {
      method: 'OPTIONS',
      headers: { origin: 'http://page', 'access-control-request-headers': 'authorization,range' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://page');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization,range');
  });

  it('injects faults: status, drop, stall, truncate', async () => {
    hub.fault({ kind: 'status', status: 502, times: 1 });
    expect((await fetch(`${hub.url}/org/tiny/resolve/main/config.json`)).status).toBe(502);
    hub.fault({ kind: 'drop', times: 1 });
    await expect(fetch(`${hub.url}/org/tiny/resolve/main/config.json`)).rejects.toThrow();
    hub.fault({ kind: 'stall', method: 'HEAD', times: 1 });
    await expect(
      fetch(`${hub.url}/org/tiny/resolve/main/config.json`, { method: 'HEAD', signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/abort|timeout/i);
    hub.fault({ kind: 'truncate', match: '/cdn/', times: 1 });
    const r = await fetch(`${hub.url}/org/tiny/resolve/main/model.safetensors`);
    await expect(r.arrayBuffer()).rejects.toThrow();
    expect(hub.faults.every((f) => f.times === 0 && f.hits === 1)).toBe(true);
    hub.reset();
    expect(hub.faults).toEqual([]);
  });

  it('serve.mjs prints its URL as the first JSON line and serves the built-in repos', async () => {
    const child = spawn(process.execPath, ['tooling/hub-mirror/serve.mjs', '--port', '0'], {
      cwd: new URL('../../../', import.meta.url),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (c) => reject(new Error(`serve.mjs exited ${c}`)));
      });
      const { url, repos } = JSON.parse(line) as { url: string; repos: string[] };
      expect(repos).toEqual(expect.arrayContaining(['albertjs/default', 'albert/albert-base-v2']));
      expect(repos).toEqual(Object.keys(fixtureRepos()));
      const cfg = await fetch(`${url}/albert/albert-base-v2/resolve/main/config.json`);
      expect((await cfg.json()).model_type).toBe('albert');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
