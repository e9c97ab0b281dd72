// A local Hugging Face Hub mirror (node:http on 127.0.0.1) for tests, in the Hub's URL layout and headers:
//   HEAD/GET /{repo}/resolve/{revision}/{file}
//     LFS files (weights): 302 to an absolute CDN URL with X-Linked-Etag (sha256, quoted) and X-Linked-Size;
//     other files on a branch/tag: 307 relative redirect to /api/resolve-cache/models/{repo}/{commit}/{file}
//     (as huggingface.co answers since 2025), served 200 with the git blob sha1 as ETag;
//     X-Repo-Commit on every answer; Range requests (206 / 416).
//   GET /api/models/{repo}[/revision/{revision}]   model info with `sha` and `siblings` (huggingface_hub's model_info)
//   401 X-Error-Code GatedRepo (gated repos without the right token), 404 RepoNotFound / RevisionNotFound /
//   EntryNotFound, CORS (any origin, preflight) so a browser page on another port can use it.
// Faults for tests (mirror.fault(...)): stall (never answer), stall-body, truncate, drop, corrupt, slow, status.
// Reference: https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/file_download.py
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

/** Files the Hub stores with git LFS (served through the CDN redirect). */
export const isLfsFile = (file) => /\.(safetensors|bin|msgpack|h5|onnx|model|ckpt|pt|pth|tflite|ot)$/.test(file);
export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
/** git's blob id: sha1("blob <len>\0" + content), the Hub's ETag of a non-LFS file. */
export const gitBlobSha1 = (bytes) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
/** A deterministic 40-hex commit id. */
export const commitOf = (seed) => createHash('sha1').update(String(seed)).digest('hex');

const encoder = new TextEncoder();
const toBytes = (v) =>
  typeof v === 'string' ? encoder.encode(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

function toFileMap(files) {
  const m = new Map();
  for (const [k, v] of files instanceof Map ? files : Object.entries(files)) m.set(k, toBytes(v));
  return m;
}

/** The commit a set of files gets when none is given: stable across runs, different for different content. */
function contentCommit(id, files) {
  const h = createHash('sha1').update(id);
  for (const k of [...files.keys()].sort()) h.update(`\0${k}\0${sha256(files.get(k))}`);
  return h.digest('hex');
}

/** Normalizes a repo spec: files as a Map of bytes, a commit, refs, older revisions. */
export function normalizeRepo(id, spec) {
  const files = toFileMap(spec.files);
  const commit = spec.commit ?? contentCommit(id, files);
  const history = (spec.history ?? []).map((h) => {
    const f = toFileMap(h.files);
    return { commit: h.commit ?? contentCommit(`${id}@history`, f), files: f, refs: h.refs ?? [] };
  });
  return { commit, files, refs: spec.refs ?? [], token: spec.token, history };
}

const EXPOSED =
  'X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,ETag,Link,Accept-Ranges,Content-Range,Content-Length,X-Linked-Size,X-Linked-ETag';

/**
 * Starts the mirror. `repos`: `{ 'org/name': { files, commit?, refs?, token?, history? } }` (files: Map or object of
 * path → Uint8Array | string). Resolves once listening; `url` has no trailing slash.
 */
export async function startHubMirror(options = {}) {
  const { repos = {}, port = 0, host = '127.0.0.1' } = options;
  const sockets = new Set();
  const timers = new Set();
  const later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const mirror = {
    url: '',
    port: 0,
    repos: new Map(Object.entries(repos).map(([id, r]) => [id, normalizeRepo(id, r)])),
    log: [],
    faults: [],
    renamed: new Map(),
    cdnHop: false,
    cdnHost: options.cdnHost,
    resolveCache: options.resolveCache ?? true,
    addRepo(id, spec) {
      const r = normalizeRepo(id, spec);
      this.repos.set(id, r);
      return r;
    },
    fault(f) {
      const entry = { times: Number.POSITIVE_INFINITY, ...f, hits: 0 };
      this.faults.push(entry);
      return entry;
    },
    reset() {
      this.faults.length = 0;
      this.log.length = 0;
      this.renamed.clear();
      this.cdnHop = false;
      this.cdnHost = options.cdnHost;
    },
    close: async () => {},
  };

  /** The first fault matching this request (and consumes one of its `times`). */
  const takeFault = (req, path) => {
    for (const f of mirror.faults) {
      if (f.times <= 0) continue;
      if (f.method && f.method !== req.method) continue;
      if (f.match !== undefined && !(f.match instanceof RegExp ? f.match.test(path) : path.includes(f.match))) continue;
      f.times--;
      f.hits++;
      return f;
    }
    return undefined;
  };

  const cors = (req) => ({
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-expose-headers': EXPOSED,
    vary: 'Origin',
  });
  const error = (req, res, status, code, message) => {
    res.writeHead(status, {
      ...cors(req),
      'x-error-code': code,
      'x-error-message': message,
      'content-type': 'application/json',
    });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ error: message }));
  };

  /** The revision's snapshot: main / the head commit / a ref, or an older commit from `history`. */
  const snapshot = (repo, rev) => {
    if (rev === 'main' || rev === repo.commit || repo.refs.includes(rev)) return repo;
    return repo.history.find((h) => h.commit === rev || h.refs.includes(rev));
  };

  /** Finds the repo, checks the token; answers the error itself and returns undefined when it cannot serve. */
  const openRepo = (req, res, repoId, path) => {
    const repo = mirror.repos.get(repoId);
    if (!repo) {
      error(req, res, 404, 'RepoNotFound', `Repository Not Found for url: ${path}.`);
      return undefined;
    }
    if (repo.token !== undefined && req.headers.authorization !== `Bearer ${repo.token}`) {
      error(
        req,
        res,
        401,
        'GatedRepo',
        `Access to model ${repoId} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
      );
      return undefined;
    }
    return repo;
  };

  /** Sends `bytes` (or the requested Range of them) honouring the body faults. */
  const sendBytes = (req, res, bytes, headers, fault) => {
    let body = bytes;
    if (fault?.kind === 'corrupt' && body.length > 0) {
      body = body.slice();
      body[body.length >> 1] ^= 0xff;
    }
    const range = req.headers.range;
    let start = 0;
    let end = body.length - 1;
    let partial = false;
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range);
      if (m && (m[1] || m[2])) {
        if (m[1] === '') {
          start = Math.max(0, body.length - Number(m[2]));
        } else {
          start = Number(m[1]);
          if (m[2] !== '') end = Math.min(end, Number(m[2]));
        }
        if (start >= body.length || start > end) {
          res.writeHead(416, { ...cors(req), ...headers, 'content-range': `bytes */${body.length}` });
          return res.end();
        }
        partial = true;
      }
    }
    const part = body.subarray(start, end + 1);
    const h = {
      ...cors(req),
      ...headers,
      'content-length': part.length,
      'accept-ranges': 'bytes',
    };
    if (partial) h['content-range'] = `bytes ${start}-${end}/${body.length}`;
    const respond = () => {
      res.writeHead(partial ? 206 : 200, h);
      if (req.method === 'HEAD') return res.end();
      if (fault?.kind === 'truncate') {
        // half the body, a pause so the client consumes it, then FIN: a connection lost mid-download
        res.write(part.subarray(0, part.length >> 1), () => later(100, () => res.socket?.end()));
        return;
      }
      if (fault?.kind === 'stall-body') {
        res.write(part.subarray(0, part.length >> 1)); // then nothing until the client gives up (or close())
        return;
      }
      if (fault?.kind === 'slow' && fault.chunkMs) {
        const size = fault.chunkSize ?? 16_384;
        let off = 0;
        const step = () => {
          if (res.destroyed) return;
          if (off >= part.length) return res.end();
          res.write(part.subarray(off, off + size));
          off += size;
          later(fault.chunkMs, step);
        };
        return step();
      }
      res.end(part);
    };
    if (fault?.kind === 'slow' && fault.ms) later(fault.ms, respond);
    else respond();
  };

  const serveCdn = (req, res, sha, fault) => {
    for (const r of mirror.repos.values())
      for (const snap of [r, ...r.history])
        for (const b of snap.files.values())
          if (sha256(b) === sha) return sendBytes(req, res, b, { 'content-type': 'application/octet-stream' }, fault);
    return error(req, res, 404, 'EntryNotFound', 'no such blob');
  };

  const modelInfo = (req, res, repoId, rev, u) => {
    const repo = openRepo(req, res, repoId, u.pathname);
    if (!repo) return;
    const snap = snapshot(repo, rev);
    if (!snap) return error(req, res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    const blobs = u.searchParams.get('blobs') === 'true';
    const siblings = [...snap.files.keys()].sort().map((rfilename) => {
      if (!blobs) return { rfilename };
      const b = snap.files.get(rfilename);
      const s = { rfilename, blobId: gitBlobSha1(b), size: b.length };
      return isLfsFile(rfilename) ? { ...s, lfs: { sha256: sha256(b), size: b.length, pointerSize: 134 } } : s;
    });
    const body = JSON.stringify({
      _id: snap.commit.slice(0, 24),
      id: repoId,
      modelId: repoId,
      sha: snap.commit,
      private: false,
      gated: repo.token !== undefined ? 'manual' : false,
      disabled: false,
      library_name: 'transformers',
      tags: ['transformers', 'albert'],
      siblings,
    });
    res.writeHead(200, {
      ...cors(req),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-repo-commit': snap.commit,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  /** Control routes for tests in another process (e.g. a browser page): faults, log, reset. */
  const control = (req, res, u) => {
    const send = (obj) => {
      res.writeHead(200, { ...cors(req), 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (u.pathname === '/_mirror/log') return send(mirror.log);
    if (u.pathname === '/_mirror/reset' && req.method === 'POST') {
      mirror.reset();
      return send({ ok: true });
    }
    if (u.pathname === '/_mirror/fault' && req.method === 'POST') {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        try {
          const f = JSON.parse(data);
          if (typeof f.match === 'string' && f.regexp) f.match = new RegExp(f.match);
          mirror.fault(f);
          send({ ok: true });
        } catch (e) {
          error(req, res, 400, 'BadRequest', `bad fault JSON: ${e.message}`);
        }
      });
      return;
    }
    return error(req, res, 404, 'NotFound', `unknown control route ${u.pathname}`);
  };

  const handle = (req, res) => {
    const u = new URL(req.url ?? '/', 'http://mirror');
    const path = decodeURIComponent(u.pathname);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors(req),
        'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '86400',
      });
      return res.end();
    }
    if (u.pathname.startsWith('/_mirror/')) return control(req, res, u);
    mirror.log.push({
      method: req.method ?? '',
      path,
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    const fault = takeFault(req, path);
    if (fault?.kind === 'drop') return req.socket.destroy();
    if (fault?.kind === 'stall') return; // never answers; close() ends the socket
    if (fault?.kind === 'status') return error(req, res, fault.status ?? 503, 'Injected', `injected ${fault.status}`);
    const base = `http://${req.headers.host}`;

    const cdn = /^\/cdn(2?)\/([0-9a-f]{64})$/.exec(u.pathname);
    if (cdn) {
      if (mirror.cdnHop && !cdn[1]) {
        res.writeHead(302, { ...cors(req), location: `${base}/cdn2/${cdn[2]}` });
        return res.end();
      }
      return serveCdn(req, res, cdn[2], fault);
    }
    const info = /^\/api\/models\/([^/]+(?:\/[^/]+)??)(?:\/revision\/([^/]+))?$/.exec(u.pathname);
    if (info) return modelInfo(req, res, decodeURIComponent(info[1]), decodeURIComponent(info[2] ?? 'main'), u);

    const cached = /^\/api\/resolve-cache\/models\/([^/]+\/[^/]+|[^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(u.pathname);
    const m = cached ?? /^\/([^/]+(?:\/[^/]+)?)\/resolve\/([^/]+)\/(.+)$/.exec(u.pathname);
    if (!m) return error(req, res, 404, 'RepoNotFound', `unknown route ${u.pathname}`);
    const [, repoId, revEnc, fileEnc] = m;
    const renamed = mirror.renamed.get(repoId);
    if (renamed && !cached) {
      res.writeHead(307, { ...cors(req), location: `/${renamed}/resolve/${revEnc}/${fileEnc}` });
      return res.end();
    }
    const repo = openRepo(req, res, repoId, u.pathname);
    if (!repo) return;
    const rev = decodeURIComponent(revEnc);
    const snap = snapshot(repo, rev);
    if (!snap) return error(req, res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    const file = fileEnc.split('/').map(decodeURIComponent).join('/');
    const body = snap.files.get(file);
    if (!body) {
      res.setHeader('x-repo-commit', snap.commit); // as the Hub: huggingface_hub records .no_exist/<commit>/<file>
      return error(req, res, 404, 'EntryNotFound', `${file} does not exist on "${rev}"`);
    }
    const common = { 'x-repo-commit': snap.commit, etag: `"${gitBlobSha1(body)}"` };
    if (isLfsFile(file)) {
      const sha = sha256(body);
      const cdnBase = mirror.cdnHost ? `http://${mirror.cdnHost}:${mirror.port}` : base;
      res.writeHead(302, {
        ...cors(req),
        ...common,
        'x-linked-etag': `"${sha}"`,
        'x-linked-size': body.length,
        location: `${cdnBase}/cdn/${sha}`,
        'content-length': 0,
      });
      return res.end();
    }
    if (!cached && mirror.resolveCache && rev !== snap.commit) {
      const q = `${encodeURIComponent(`/${repoId}/resolve/${rev}/${file}`)}=&etag=${encodeURIComponent(common.etag)}`;
      res.writeHead(307, {
        ...cors(req),
        ...common,
        location: `/api/resolve-cache/models/${repoId}/${snap.commit}/${fileEnc}?${q}`,
        'content-length': 0,
      });
      return res.end();
    }
    return sendBytes(req, res, body, { ...common, 'content-type': 'text/plain; charset=utf-8' }, fault);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) error(req, res, 500, 'MirrorError', String(e?.stack ?? e));
      else res.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  mirror.port = server.address().port;
  mirror.url = `http://${host.includes(':') ? `[${host}]` : host}:${mirror.port}`;
  mirror.close = () =>
    new Promise((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return mirror;
}
