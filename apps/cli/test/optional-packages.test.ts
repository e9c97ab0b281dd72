// @albertjs/bench is an optional peer dependency and @albertjs/parity-tests is private to the repository: the CLI
// runs as a process whose module resolution cannot find them (as after `npm install @albertjs/cli` alone). Every
// other command works; `albert bench` / `albert parity` exit with MISSING_PACKAGE and one line saying how to get
// the package (npm install for bench, a clone of the repository for parity).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PARITY_FROM_A_CLONE } from '../src/commands/parity.js';
import { EXIT } from '../src/index.js';
import { model } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../src/bin.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');
const withoutOptional = resolve(here, 'without-optional-packages/register.mjs');

function albertWithout(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@albertjs/source', '--import', tsx, '--import', withoutOptional, bin, ...args],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('without the optional peer dependencies', () => {
  it('the hooks really hide them (the process cannot import @albertjs/parity-tests)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--conditions=@albertjs/source',
        '--import',
        tsx,
        '--import',
        withoutOptional,
        '--input-type=module',
        '-e',
        "await import('@albertjs/parity-tests')",
      ],
      { encoding: 'utf8', timeout: 60_000, cwd: resolve(here, '..') },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Cannot find package '@albertjs/parity-tests'");
  });

  it('--help, info and every other command still work', () => {
    const help = albertWithout('--help');
    expect(help.code, help.err).toBe(0);
    expect(help.out).toMatch(/parity \[options\]/);
    expect(help.out).toMatch(/bench \[options\]/);
    for (const cmd of ['parity', 'bench']) {
      const h = albertWithout(cmd, '--help');
      expect(h.code, h.err).toBe(0);
      expect(h.out).toContain(`Usage: albert ${cmd}`);
    }
    const info = albertWithout('info', model('tiny', 'AlbertModel'));
    expect(info.code, info.err).toBe(0);
    expect(info.out).toContain('architecture  AlbertModel');
  });

  it.each([
    ['parity', ['parity', '--backend', 'none'], '@albertjs/parity-tests', PARITY_FROM_A_CLONE],
    [
      'bench',
      ['bench', 'infer', '--grid', 'smoke', '--backend', 'onnx'],
      '@albertjs/bench',
      'install it next to @albertjs/cli: npm install @albertjs/bench',
    ],
  ])('albert %s exits with MISSING_PACKAGE (6) and says how to get %s', (cmd, args, pkg, how) => {
    const r = albertWithout(...args);
    expect(r.code).toBe(EXIT.MISSING_PACKAGE);
    expect(r.out).toBe('');
    expect(r.err.trim()).toBe(`error: albert ${cmd} needs ${pkg}, which is not installed; ${how}`);
    expect(r.err).not.toMatch(/^\s+at /m);
  });
});
