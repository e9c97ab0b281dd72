// The repository's publishable packages (every package.json under packages/, apps/ and models/ that is not
// private) and their tarballs as `pnpm pack` makes them (workspace: ranges replaced by versions).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from './process.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  main?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** Folder relative to the repository root, e.g. `packages/core`. */
  dir: string;
  pj: PackageJson;
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as PackageJson;
}

export function publishablePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps', 'models']) {
    for (const name of readdirSync(join(REPO, group))) {
      const dir = `${group}/${name}`;
      if (!existsSync(join(REPO, dir, 'package.json'))) continue;
      const pj = readPackageJson(dir);
      if (!pj.private) out.push({ dir, pj });
    }
  }
  return out;
}

/** The version range the repository itself uses for an external package (first package.json that names it). */
export function repoRange(name: string): string {
  for (const dir of ['.', 'packages/onnx', 'packages/tfjs', 'packages/webgpu', 'apps/docs', 'packages/bench']) {
    const pj = readPackageJson(dir);
    const range = pj.dependencies?.[name] ?? pj.devDependencies?.[name] ?? pj.peerDependencies?.[name];
    if (range) return range;
  }
  throw new Error(`no package.json of the repository names ${name}`);
}

/**
 * `pnpm pack` of every publishable package into `dest` (all at once); returns package name → tarball path. A
 * package whose build output is missing fails here, naming the command to run.
 */
export async function packAll(dest: string): Promise<Map<string, string>> {
  const packs = publishablePackages().map(async ({ dir, pj }) => {
    const entry = pj.bin ? Object.values(pj.bin)[0] : pj.main;
    if (entry && !existsSync(join(REPO, dir, entry)))
      throw new Error(`${dir}/${entry} does not exist: run \`pnpm build\` before the consumer tests`);
    const r = await runOk('pnpm', ['pack', '--json', '--pack-destination', dest], {
      cwd: join(REPO, dir),
      timeoutMs: 180_000,
    });
    const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { filename: string };
    return [pj.name, resolve(dest, info.filename)] as const;
  });
  return new Map(await Promise.all(packs));
}
