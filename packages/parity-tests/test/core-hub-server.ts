// A local stand-in for the Hugging Face Hub (node:http on 127.0.0.1, port 0) with the Hub's URL layout and
// headers: /{repo}/resolve/{revision}/{file}; LFS files answer 302 to a CDN URL with X-Linked-Etag (sha256) and
// X-Linked-Size; other files 200 with the git blob sha1 as ETag; X-Repo-Commit everywhere; X-Error-Code on 401/404.
// Faults for tests: gated repos (token required), truncated bodies, corrupt bytes, renamed repos, CDN redirects.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockRepo {
  files: Map<string, Uint8Array>;
  commit: string;
  /** When set, requests need `Authorization: Bearer <token>` (a gated repo). */
  token?: string;
  /** Branch / tag / PR names besides `main` that resolve to `commit`. */
  refs?: string[];
}

export interface HubLogEntry {
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

export interface MockHub {
  url: string;
  repos: Map<string, MockRepo>;
  log: HubLogEntry[];
  /** sha256s whose next CDN GET sends half the body then drops the connection. */
  truncateOnce: Set<string>;
  /** sha256s the CDN serves with one byte flipped. */
  corrupt: Set<string>;
  /** old repo id → new repo id (answered with a relative 307, as the Hub does for renamed repos). */
  renamed: Map<string, string>;
  /** Send the CDN through one more (absolute) redirect hop. */
  cdnHop: boolean;
  /** Serve LFS files from this host name (another origin than the API: `localhost` vs `127.0.0.1`). */
  cdnHost?: string;
  close(): Promise<void>;
}

const isLfs = (f: string) => /\.(safetensors|bin|msgpack|h5|onnx)$/.test(f);
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** git's blob id: sha1("blob <len>\0" + content), the Hub's ETag of a non-LFS file. */
export const gitBlobSha1 = (b: Uint8Array) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

export function commitOf(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export async function startMockHub(repos: Record<string, MockRepo>): Promise<MockHub> {
  const hub: MockHub = {
    url: '',
    repos: new Map(Object.entries(repos)),
    log: [],
    truncateOnce: new Set(),
    corrupt: new Set(),
    renamed: new Map(),
    cdnHop: false,
    close: async () => {},
  };
  const blobs = () => {
    const m = new Map<string, Uint8Array>();
    for (const r of hub.repos.values()) for (const b of r.files.values()) m.set(sha256(b), b);
    return m;
  };
  const error = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'x-error-code': code, 'x-error-message': message, 'content-type': 'text/plain' });
    res.end(message);
  };
  const serveCdn = (req: IncomingMessage, res: ServerResponse, sha: string) => {
    const found = blobs().get(sha);
    if (!found) return error(res, 404, 'EntryNotFound', 'no such blob');
    let body = found;
    if (hub.corrupt.has(sha)) {
      body = found.slice();
      body[body.length >> 1]! ^= 0xff;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (start > body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` });
      return res.end();
    }
    const part = body.subarray(start);
    const headers: Record<string, string | number> = {
      'content-length': part.length,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(m ? 206 : 200, headers);
    if (req.method === 'HEAD') return res.end();
    if (hub.truncateOnce.has(sha)) {
      hub.truncateOnce.delete(sha);
      // half the body, a pause so the client consumes it, then FIN: a connection lost mid-download
      res.write(part.subarray(0, part.length >> 1), () => setTimeout(() => res.socket?.end(), 100));
      return;
    }
    res.end(part);
  };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    hub.log.push({
      method: req.method ?? '',
      path: decodeURIComponent(u.pathname),
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    const base = `http://${req.headers.host}`;
    const cdn = /^\/cdn(2?)\/([0-9a-f]{64})$/.exec(u.pathname);
    if (cdn) {
      if (hub.cdnHop && !cdn[1]) {
        res.writeHead(302, { location: `${base}/cdn2/${cdn[2]}` });
        return res.end();
      }
      return serveCdn(req, res, cdn[2]!);
    }
    const m = /^\/([^/]+(?:\/[^/]+)?)\/resolve\/([^/]+)\/(.+)$/.exec(u.pathname);
    if (!m) return error(res, 404, 'RepoNotFound', 'unknown route');
    const [, repoId, revEnc, fileEnc] = m as unknown as [string, string, string, string];
    const renamed = hub.renamed.get(repoId);
    if (renamed) {
      res.writeHead(307, { location: `/${renamed}/resolve/${revEnc}/${fileEnc}` });
      return res.end();
    }
    const repo = hub.repos.get(repoId);
    if (!repo) return error(res, 404, 'RepoNotFound', `Repository Not Found for url: ${u.pathname}`);
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) {
      return error(
        res,
        401,
        'GatedRepo',
        `Access to model ${repoId} is restricted. You must have access to it and be authenticated to access it.`,
      );
    }
    const rev = decodeURIComponent(revEnc);
    if (rev !== 'main' && rev !== repo.commit && !repo.refs?.includes(rev))
      return error(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    const file = fileEnc.split('/').map(decodeURIComponent).join('/');
    const body = repo.files.get(file);
    if (!body) return error(res, 404, 'EntryNotFound', `${file} does not exist on "${rev}"`);
    const common = { 'x-repo-commit': repo.commit, etag: `"${gitBlobSha1(body)}"` };
    if (isLfs(file)) {
      const sha = sha256(body);
      const cdnBase = hub.cdnHost ? `http://${hub.cdnHost}:${new URL(base).port}` : base;
      res.writeHead(302, {
        ...common,
        'x-linked-etag': `"${sha}"`,
        'x-linked-size': body.length,
        location: `${cdnBase}/cdn/${sha}`,
        'content-length': 0,
      });
      return res.end();
    }
    res.writeHead(200, { ...common, 'content-length': body.length, 'content-type': 'application/json' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  hub.url = `http://127.0.0.1:${port}`;
  hub.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return hub;
}
