import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIO, createProgram, EXIT, EXIT_MEANINGS } from '../src/index.js';
import { FIXTURES, model, run } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../src/bin.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

/** Runs `albert` as a real process (node --import tsx, sources resolved through the @albertjs/source condition). */
function spawnAlbert(...args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@albertjs/source', '--import', tsx, bin, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/^\s+at /m);

describe('exit codes and error messages', () => {
  it('unknown command and unknown option are usage errors (2)', async () => {
    const a = await run('frobnicate');
    expect(a.code).toBe(EXIT.USAGE);
    expect(a.err).toContain("unknown command 'frobnicate'");
    const b = await run('info', model('tiny', 'AlbertModel'), '--bogus');
    expect(b.code).toBe(EXIT.USAGE);
    expect(b.err).toContain("unknown option '--bogus'");
  });

  it('a missing argument and an invalid option value are usage errors (2)', async () => {
    expect((await run('info')).code).toBe(EXIT.USAGE);
    const r = await run('parity', '--backend', 'cuda');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.err).toBe('error: unknown backend "cuda": expected one of tfjs, onnx, webgpu, all or none');
    const h = await run('info', model('tiny', 'AlbertModel'), '--head', 'AlbertForTranslation');
    expect(h.code).toBe(EXIT.USAGE);
    expect(h.err).toContain('"AlbertForTranslation" is not an ALBERT model class');
  });

  it('bad input is 3: a missing model folder, a fixtures folder without manifest, an invalid config.json', async () => {
    const a = await run('info', '/nonexistent/model');
    expect(a.code).toBe(EXIT.BAD_INPUT);
    expect(a.err).toBe('error: model folder /nonexistent/model does not exist');
    const empty = mkdtempSync(join(tmpdir(), 'albert-empty-'));
    const b = await run('parity', '--fixtures', empty, '--backend', 'none');
    expect(b.code).toBe(EXIT.BAD_INPUT);
    expect(b.err).toContain(`no manifest.json in fixtures folder ${empty}`);
    const badCfg = mkdtempSync(join(tmpdir(), 'albert-badcfg-'));
    writeFileSync(join(badCfg, 'config.json'), JSON.stringify({ hidden_size: 30, num_attention_heads: 4 }));
    const c = await run('info', badCfg);
    expect(c.code).toBe(EXIT.BAD_INPUT);
    expect(c.err).toContain('hidden_size = 30 is not a multiple of config.num_attention_heads = 4');
  });

  it('--help works on every command, exits 0 and lists every exit code', async () => {
    const commands = createProgram({ io: bufferIO(), exitCode: EXIT.OK }).commands.map((c) => c.name());
    expect(commands).toEqual(
      expect.arrayContaining(['info', 'parity', 'fill-mask', 'classify', 'ner', 'qa', 'choice', 'embed', 'sop']),
    );
    expect(commands).toEqual(expect.arrayContaining(['tokenize', 'export-onnx', 'bench']));
    for (const cmd of ['', ...commands]) {
      const r = cmd ? await run(cmd, '--help') : await run('--help');
      expect(r.code, cmd).toBe(0);
      expect(r.out, cmd).toContain(cmd ? `Usage: albert ${cmd}` : 'Usage: albert');
      expect(r.out, cmd).toContain('Exit codes:');
      for (const [code, meaning] of Object.entries(EXIT_MEANINGS))
        expect(r.out, `${cmd} --help, exit code ${code}`).toContain(`  ${code.padEnd(3)} ${meaning}`);
    }
    expect(
      Object.keys(EXIT_MEANINGS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Object.values(EXIT).sort((a, b) => a - b));
    const top = await run('--help');
    expect(top.out).toMatch(/parity \[options\]/);
  });

  it('the README documents every exit code', () => {
    const readme = readFileSync(resolve(here, '../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes'));
    const documented = [...section.matchAll(/^\| (\d+) +\|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });

  it('as a process: exit code, message on stderr, no stack trace', () => {
    const ok = spawnAlbert('info', model('tiny', 'AlbertModel'));
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('architecture  AlbertModel');
    const bad = spawnAlbert('info', join(FIXTURES, 'manifest.json'));
    expect(bad.code).toBe(EXIT.BAD_INPUT);
    expect(bad.err.trim()).toMatch(/^error: .*manifest\.json is a file; a model is a folder/);
    noStack(bad.err);
    const usage = spawnAlbert('parity', '--cross-batch', 'zero');
    expect(usage.code).toBe(EXIT.USAGE);
    noStack(usage.err);
  });
});
