// A project outside the workspace (under os.tmpdir()) that installs albertjs the way npm users do: the tarballs
// of `pnpm pack` and their dependencies from the npm registry, with plain npm (no workspace links).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './process.js';
import { packAll, repoRange } from './workspace.js';

export interface ConsumerProject {
  /** The temporary folder holding tarballs/ and app/. */
  root: string;
  /** The npm project (package.json, node_modules). */
  app: string;
  /** package name → tarball. */
  tarballs: Map<string, string>;
  remove(): void;
}

/** External packages a user installs next to albertjs: the runtimes (optional peers) and the tools the tests use. */
export const USER_PACKAGES = ['onnxruntime-node', 'onnxruntime-web', 'webgpu', 'vite', 'typescript', '@types/node'];

/** Environment of every npm / node command in the project: no onnxruntime-node CUDA download, no update checks. */
export const NPM_ENV = {
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

export async function createConsumerProject(): Promise<ConsumerProject> {
  const root = mkdtempSync(join(tmpdir(), 'albertjs-consumer-'));
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    const tarDir = join(root, 'tarballs');
    mkdirSync(tarDir);
    const tarballs = await packAll(tarDir);
    const app = join(root, 'app');
    mkdirSync(app);
    const dependencies: Record<string, string> = {};
    for (const [name, file] of tarballs) dependencies[name] = `file:${file}`;
    for (const name of USER_PACKAGES) dependencies[name] = repoRange(name);
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'albertjs-consumer', private: true, type: 'module', dependencies }, null, 2)}\n`,
    );
    await runOk('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      env: NPM_ENV,
      timeoutMs: 300_000,
    });
    return { root, app, tarballs, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
