#!/usr/bin/env node
// node tooling/hub-mirror/serve.mjs [--port 0] [--host 127.0.0.1] [--root <dir>] [--fixtures] [--gated org/name=token]
// Starts the local Hub mirror and prints one JSON line first: {"url":"http://127.0.0.1:PORT","repos":[...]}.
// --root serves every `org/name` folder under <dir> as a repo; without --root (or with --fixtures) the built-in
// set (albertjs/default, albert/albert-base-v2, albert-fixtures/*) is served. Runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startHubMirror } from './mirror.mjs';
import { fixtureRepos, reposFromTree } from './repos.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    root: { type: 'string' },
    fixtures: { type: 'boolean', default: false },
    gated: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: node tooling/hub-mirror/serve.mjs [--port 0] [--host 127.0.0.1] [--root DIR] [--fixtures] [--gated org/name=token]\n',
  );
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`hub-mirror: --port ${JSON.stringify(values.port)} is not a port number\n`);
  process.exit(2);
}
const repos = {
  ...(values.root === undefined || values.fixtures ? fixtureRepos() : {}),
  ...(values.root !== undefined ? reposFromTree(values.root) : {}),
};
for (const g of values.gated) {
  const [id, token] = g.split('=');
  if (!id || !token || !repos[id]) {
    process.stderr.write(`hub-mirror: --gated ${JSON.stringify(g)}: expected org/name=token for a served repo\n`);
    process.exit(2);
  }
  repos[id].token = token;
}
const mirror = await startHubMirror({ repos, port, host: values.host });
process.stdout.write(`${JSON.stringify({ url: mirror.url, repos: [...mirror.repos.keys()] })}\n`);
const stop = async () => {
  await mirror.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
