// A local npm registry for the @albertjs scope: serves the packed tarballs as the npm registry would serve the
// published packages (packument at /@albertjs%2f<name>, tarball with integrity), so a consumer project runs
// `npm install @albertjs/...` exactly as the docs show it. The project's .npmrc points only the @albertjs scope
// here (`@albertjs:registry=`); everything else comes from the npm registry (or npm's cache) as for any user.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalRegistry {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** The `.npmrc` line that sends the @albertjs scope here. */
  npmrc: string;
  /** Every request path, in order. */
  log: string[];
  close(): Promise<void>;
}

/** package name → tarball path (what packAll returns). */
export async function startLocalRegistry(tarballs: Map<string, string>): Promise<LocalRegistry> {
  const packages = new Map<string, { manifest: Record<string, unknown>; bytes: Buffer }>();
  for (const [name, file] of tarballs) {
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }),
    ) as Record<string, unknown>;
    packages.set(name, { manifest, bytes: readFileSync(file) });
  }
  const log: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    log.push(`${req.method} ${path}`);
    const tgz = /^\/-\/(.+)\/-\/[^/]+\.tgz$/.exec(path);
    const pkg = packages.get(tgz ? tgz[1]! : path.slice(1));
    if (!pkg) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    if (tgz) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(pkg.bytes);
    const { name, version } = pkg.manifest as { name: string; version: string };
    const dist = {
      tarball: `${base}-/${name}/-/${name.split('/').pop()}-${version}.tgz`,
      shasum: createHash('sha1').update(pkg.bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(pkg.bytes).digest('base64')}`,
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ name, 'dist-tags': { latest: version }, versions: { [version]: { ...pkg.manifest, dist } } }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    npmrc: `@albertjs:registry=${base}\n`,
    log,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
