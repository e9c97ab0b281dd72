// Repo sets for the Hub mirror: a folder as a repo, a tree of `org/name` folders, and the repo's own models
// (models/default, the parity fixtures) under Hub ids. Reads only files inside this repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tooling/hub-mirror/../..). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function walk(dir, keep) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, keep));
    else if (e.isFile() && keep(relative(dir, p), e.name)) out.push(p);
  }
  return out;
}

/**
 * A repo spec from a folder: every file (recursively, `/`-separated paths), or those `include` accepts.
 * `extra` adds or replaces files.
 */
export function repoFromDir(dir, { include = () => true, commit, refs, token, extra = {} } = {}) {
  const files = new Map();
  for (const p of walk(dir, () => true)) {
    const rel = relative(dir, p).split(sep).join('/');
    if (include(rel)) files.set(rel, new Uint8Array(readFileSync(p)));
  }
  for (const [k, v] of Object.entries(extra)) files.set(k, v);
  return { files, commit, refs, token };
}

/**
 * Repos from a tree `root/{org}/{name}/…` (a folder whose files include config.json, tokenizer.json,
 * tokenizer_config.json or spiece.model is a repo; otherwise it is an org folder holding repos).
 */
export function reposFromTree(root) {
  const repos = {};
  const isRepo = (d) =>
    ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'spiece.model'].some((f) => existsSync(join(d, f)));
  for (const a of readdirSync(root)) {
    const da = join(root, a);
    if (!statSync(da).isDirectory()) continue;
    if (isRepo(da)) {
      repos[a] = repoFromDir(da);
      continue;
    }
    for (const b of readdirSync(da)) {
      const db = join(da, b);
      if (statSync(db).isDirectory() && isRepo(db)) repos[`${a}/${b}`] = repoFromDir(db);
    }
  }
  return repos;
}

/** The files of a Hub model repo in models/default (no training scripts / logs). */
const HUB_FILES = new Set([
  'README.md',
  'config.json',
  'model.safetensors',
  'spiece.model',
  'tokenizer.json',
  'tokenizer_config.json',
]);

/**
 * The built-in repo set:
 * - `albertjs/default`: models/default as a Hub repo (weights, spiece.model, tokenizer.json, tokenizer_config.json)
 * - `albert/albert-base-v2`: the same small model under albert-base-v2's id (README snippets with that id run
 *   against the mirror; it is NOT the real albert-base-v2)
 * - `albert-fixtures/tiny-<Class>` / `albert-fixtures/groups-<Class>`: each parity fixture model (config + weights)
 * - `albert-fixtures/<tokenizer>`: each fixture tokenizer (spiece.model, tokenizer.json, tokenizer_config.json)
 */
export function fixtureRepos(root = repoRoot) {
  const repos = {};
  const def = join(root, 'models', 'default');
  if (existsSync(def)) {
    repos['albertjs/default'] = repoFromDir(def, { include: (f) => HUB_FILES.has(f) });
    repos['albert/albert-base-v2'] = repoFromDir(def, { include: (f) => HUB_FILES.has(f) && f !== 'README.md' });
  }
  const hf = join(root, 'packages', 'parity-tests', 'fixtures', 'hf');
  for (const kind of ['tiny', 'groups']) {
    const d = join(hf, 'models', kind);
    if (!existsSync(d)) continue;
    for (const cls of readdirSync(d)) repos[`albert-fixtures/${kind}-${cls}`] = repoFromDir(join(d, cls));
  }
  const tok = join(hf, 'tokenizers');
  if (existsSync(tok))
    for (const name of readdirSync(tok))
      repos[`albert-fixtures/${name}`] = repoFromDir(join(tok, name), {
        include: (f) => ['spiece.model', 'tokenizer.json', 'tokenizer_config.json'].includes(f),
      });
  return repos;
}
