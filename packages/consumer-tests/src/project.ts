// A project outside the workspace (under os.tmpdir()) that installs albertjs the way npm users do: `pnpm pack`
// tarballs served by a local registry for the @albertjs scope (registry.ts), installed with plain npm by name —
// first with the docs' own `npm install` lines, as written, then the rest — and their dependencies from the npm
// registry (no workspace links).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, run, runOk } from './process.js';
import { type LocalRegistry, startLocalRegistry } from './registry.js';
import { packAll, repoRange } from './workspace.js';

export interface ConsumerProject {
  /** The temporary folder holding tarballs/ and app/. */
  root: string;
  /** The npm project (package.json, .npmrc, node_modules). */
  app: string;
  /** package name → tarball. */
  tarballs: Map<string, string>;
  /** Serves the tarballs as the @albertjs scope of the npm registry. */
  registry: LocalRegistry;
  /** The docs' install lines run in `app` before anything else, with their results (in order). */
  docInstalls: { line: string; result: RunResult }[];
  remove(): Promise<void>;
}

/** External packages a user installs next to albertjs: the runtimes (optional peers) and the tools the tests use. */
export const USER_PACKAGES = ['onnxruntime-node', 'onnxruntime-web', 'webgpu', 'vite', 'typescript', '@types/node'];

/** Environment of every npm / node command in the project: no onnxruntime-node CUDA download, no update checks. */
export const NPM_ENV = {
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_loglevel: 'error',
  npm_config_prefer_offline: 'true',
};

/** An empty npm project in `dir` whose @albertjs scope resolves to `registry`. */
export function emptyNpmProject(dir: string, registry: LocalRegistry): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'albertjs-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(dir, '.npmrc'), registry.npmrc);
  return dir;
}

/** A shell line (`npm install …`, `npx albert …`) run as a user types it, in `cwd`. */
export function shell(line: string, cwd: string, env: Record<string, string> = {}, timeoutMs = 300_000) {
  return run('sh', ['-c', line], { cwd, env: { ...NPM_ENV, ...env }, timeoutMs });
}

/**
 * Packs every publishable package, starts the registry, runs `installLines` (the docs' `npm install` lines) as
 * written in a fresh project, then installs every other publishable package and USER_PACKAGES by name.
 */
export async function createConsumerProject(installLines: string[]): Promise<ConsumerProject> {
  const root = mkdtempSync(join(tmpdir(), 'albertjs-consumer-'));
  let registry: LocalRegistry | undefined;
  const remove = async () => {
    await registry?.close();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const tarDir = join(root, 'tarballs');
    mkdirSync(tarDir);
    const tarballs = await packAll(tarDir);
    registry = await startLocalRegistry(tarballs);
    const app = emptyNpmProject(join(root, 'app'), registry);
    const docInstalls: ConsumerProject['docInstalls'] = [];
    for (const line of installLines) docInstalls.push({ line, result: await shell(line, app) });
    const rest = [...tarballs.keys()].filter((n) => !existsSync(join(app, 'node_modules', n)));
    await runOk('npm', ['install', ...rest, ...USER_PACKAGES.map((n) => `${n}@${repoRange(n)}`)], {
      cwd: app,
      env: NPM_ENV,
      timeoutMs: 300_000,
    });
    return { root, app, tarballs, registry, docInstalls, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

/** ALBERTJS_CONSUMER_DIR: an earlier run's folder, reused as is (its tarballs served again; nothing deleted). */
export async function reuseConsumerProject(root: string): Promise<ConsumerProject> {
  const tarDir = join(root, 'tarballs');
  const tarballs = new Map<string, string>();
  for (const f of readdirSync(tarDir))
    tarballs.set(`@albertjs/${f.replace(/^albertjs-|-\d+\.\d+\.\d+\.tgz$/g, '')}`, join(tarDir, f));
  const registry = await startLocalRegistry(tarballs);
  return { root, app: join(root, 'app'), tarballs, registry, docInstalls: [], remove: () => registry.close() };
}
