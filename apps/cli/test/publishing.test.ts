// What `npm publish` would ship: no published package.json of the repository may depend on a private
// (never published) package, every published one carries the npm metadata and the LICENSE, and the CLI's tarball
// holds its build, its sources, its README and LICENSE only. (packages/consumer-tests installs the real tarballs.)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const cliDir = resolve(here, '..');

interface PackageJson {
  name: string;
  private?: boolean;
  description?: string;
  keywords?: string[];
  homepage?: string;
  license?: string;
  repository?: { type: string; url: string; directory: string };
  exports?: Record<string, unknown>;
  bin?: Record<string, string>;
  main?: string;
  types?: string;
  files?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

function workspacePackages(): { dir: string; pj: PackageJson }[] {
  const out: { dir: string; pj: PackageJson }[] = [];
  for (const group of ['packages', 'apps', 'models']) {
    for (const name of readdirSync(join(repo, group))) {
      const file = join(repo, group, name, 'package.json');
      if (existsSync(file)) out.push({ dir: `${group}/${name}`, pj: JSON.parse(readFileSync(file, 'utf8')) });
    }
  }
  return out;
}

/** Dependencies a consumer's install must resolve: dependencies, optionalDependencies and non-optional peers. */
function installedWith(pj: PackageJson): { field: string; name: string }[] {
  const peers = Object.keys(pj.peerDependencies ?? {}).filter((n) => !pj.peerDependenciesMeta?.[n]?.optional);
  return [
    ...Object.keys(pj.dependencies ?? {}).map((name) => ({ field: 'dependencies', name })),
    ...Object.keys(pj.optionalDependencies ?? {}).map((name) => ({ field: 'optionalDependencies', name })),
    ...peers.map((name) => ({ field: 'peerDependencies', name })),
  ];
}

describe('publishing', () => {
  const all = workspacePackages();
  const privateNames = new Set(all.filter((p) => p.pj.private).map((p) => p.pj.name));

  it('finds the workspace packages, public and private', () => {
    expect(all.map((p) => p.pj.name)).toEqual(expect.arrayContaining(['@albertjs/cli', '@albertjs/core']));
    expect([...privateNames].sort()).toEqual(['@albertjs/consumer-tests', '@albertjs/docs', '@albertjs/parity-tests']);
  });

  it('every published package has a description, keywords, homepage, repository (its own folder) and Apache-2.0', () => {
    const root = JSON.parse(readFileSync(join(repo, 'packages/core/package.json'), 'utf8')) as PackageJson;
    for (const { dir, pj } of all.filter((p) => !p.pj.private)) {
      expect(pj.description?.length, dir).toBeGreaterThan(20);
      expect(pj.keywords?.length, dir).toBeGreaterThan(2);
      expect(pj.homepage, dir).toContain(dir);
      expect(pj.license, dir).toBe('Apache-2.0');
      expect(pj.repository, dir).toEqual({ ...root.repository, directory: dir });
    }
  });

  it("every published package ships LICENSE, the repository's Apache-2.0 text", () => {
    const license = readFileSync(join(repo, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License');
    expect(license).toContain('Version 2.0, January 2004');
    for (const { dir } of all.filter((p) => !p.pj.private))
      expect(existsSync(join(repo, dir, 'LICENSE')) && readFileSync(join(repo, dir, 'LICENSE'), 'utf8'), dir).toBe(
        license,
      );
  });

  it("every published package's exports give types, import and a default (require() of ESM, Node >= 20.19)", () => {
    for (const { dir, pj } of all.filter((p) => !p.pj.private && p.pj.exports)) {
      const dot = pj.exports?.['.'] as Record<string, string>;
      expect(
        Object.keys(dot).filter((k) => k !== '@albertjs/source'),
        dir,
      ).toEqual(['types', 'import', 'default']);
      expect(pj.exports?.['./package.json'], dir).toBe('./package.json');
    }
  });

  it('no published package depends on a private package', () => {
    const bad = all
      .filter((p) => !p.pj.private)
      .flatMap((p) =>
        installedWith(p.pj)
          .filter((d) => privateNames.has(d.name))
          .map((d) => `${p.dir}/package.json ${d.field}: ${d.name} is private`),
      );
    expect(bad).toEqual([]);
  });

  it('the CLI has @albertjs/bench as an optional peer, and the private @albertjs/parity-tests only as a devDependency', () => {
    const pj = all.find((p) => p.pj.name === '@albertjs/cli')!.pj;
    expect(pj.peerDependencies?.['@albertjs/bench']).toBeDefined();
    expect(pj.peerDependenciesMeta?.['@albertjs/bench']?.optional).toBe(true);
    expect(pj.dependencies?.['@albertjs/bench']).toBeUndefined();
    expect(pj.peerDependencies?.['@albertjs/parity-tests']).toBeUndefined();
    expect(pj.dependencies?.['@albertjs/parity-tests']).toBeUndefined();
    expect(pj.devDependencies?.['@albertjs/parity-tests']).toBeDefined();
  });

  it('npm pack ships the build, the sources, the README and package.json, nothing else', () => {
    const pj = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as PackageJson;
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: cliDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 90_000,
      }),
    ) as { name: string; files: { path: string }[] }[];
    expect(pack!.name).toBe('@albertjs/cli');
    const files = pack!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'src/bin.ts', 'src/index.ts']));
    expect(files.filter((f) => !/^(dist|src)\/|^(package\.json|README\.md|LICENSE)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.ts$|(^|\/)test\/|tsconfig/.test(f))).toEqual([]);
    // every source file is shipped, and no build output is left over from a source file that is gone
    const sources = files.filter((f) => f.startsWith('src/'));
    expect(sources.length).toBeGreaterThan(10);
    const stale = files
      .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
      .filter((f) => !sources.includes(f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')));
    expect(stale).toEqual([]);
    // bin, main and types point into a shipped folder
    for (const target of [...Object.values(pj.bin ?? {}), pj.main!, pj.types!])
      expect(pj.files, target).toContain(target.replace(/^\.\//, '').split('/')[0]);
  });
});
