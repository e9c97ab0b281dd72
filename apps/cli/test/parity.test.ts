import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors, serializeSafetensors, Tensor, toFloat32 } from '@albertjs/core';
import { listCases } from '@albertjs/parity-tests';
import { describe, expect, it } from 'vitest';
import { copyFixtures, FIXTURES, run } from './helpers.js';

/** A fixtures folder holding only the tiny AlbertModel cases (and their model folder and checkpoints). */
function tinyFixtures(): string {
  const cases = listCases().filter(
    (c) => c.config === 'tiny' && c.head === 'AlbertModel' && ['eager', 'sdpa', 'nomask'].includes(c.variant),
  );
  const dir = copyFixtures([
    'models/tiny/AlbertModel',
    'models/tiny/AlbertForMaskedLM',
    'checkpoints/tiny',
    ...cases.map((c) => c.file),
  ]);
  const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
  manifest.cases = manifest.cases.filter((c: { file: string }) => cases.some((k) => k.file === c.file));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

/** Rewrites one tensor of a safetensors file in place. */
function corrupt(file: string, name: string, edit: (x: Float32Array) => void): void {
  const { tensors, metadata } = parseSafetensors(new Uint8Array(readFileSync(file)), file);
  const t = tensors.get(name);
  if (!t) throw new Error(`${name} not in ${file}`);
  const f = toFloat32(t);
  const data = f.data.slice();
  edit(data);
  tensors.set(name, new Tensor('float32', data, f.shape));
  writeFileSync(file, serializeSafetensors(tensors, metadata));
}

describe('albert parity', () => {
  it('passes on a copy of part of the fixtures (core checks and the onnx backend)', async () => {
    const dir = tinyFixtures();
    const r = await run('parity', '--fixtures', dir, '--backend', 'onnx', '--no-tokenizers');
    expect(r.err).toBe('');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/tiny__AlbertModel__eager\s+onnx\s+\S+\s+\d\.\d\de-\d+\s+PASS/);
    expect(r.out).toMatch(/format tiny\/AlbertForMaskedLM fp16\s+core/);
    expect(r.out).toMatch(/load-report tiny\/AlbertModel as AlbertModel\s+core\s+empty missing\/unexpected report/);
    expect(r.out).toMatch(/checks passed: PASS$/);
  });

  it('fails, naming the tensor, when an expected output of a case is off by 1e-3', async () => {
    const dir = tinyFixtures();
    corrupt(join(dir, 'cases/tiny__AlbertModel__sdpa.safetensors'), 'out.pooler_output', (x) => {
      x[5]! += 1e-3;
    });
    const json = join(dir, 'report.json');
    const r = await run('parity', '--fixtures', dir, '--backend', 'onnx', '--no-tokenizers', '--json', json);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/tiny__AlbertModel__sdpa\s+onnx\s+out\.pooler_output\s+1\.0\de-3\s+FAIL/);
    expect(r.out).toMatch(/tiny__AlbertModel__eager\s+onnx\s+\S+\s+\S+\s+PASS/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.pass).toBe(false);
    expect(report.summary.failed).toBe(1);
    const bad = report.cases.find((c: { id: string }) => c.id === 'tiny__AlbertModel__sdpa');
    expect(bad.worst.name).toBe('out.pooler_output');
  });

  it('fails the core checks when a half-precision checkpoint differs from the float32 weights', async () => {
    const dir = tinyFixtures();
    const file = join(dir, 'checkpoints/tiny/AlbertForMaskedLM/fp16/model.safetensors');
    const { tensors, metadata } = parseSafetensors(new Uint8Array(readFileSync(file)), file);
    const t = tensors.get('albert.encoder.embedding_hidden_mapping_in.bias')!;
    const d = (t.data as Uint16Array).slice();
    d[0] = d[0]! ^ 0x0200; // flip a mantissa bit: ≈ 1/8 relative error, far beyond f16 rounding
    tensors.set('albert.encoder.embedding_hidden_mapping_in.bias', new Tensor('float16', d, t.shape));
    writeFileSync(file, serializeSafetensors(tensors, metadata));
    const r = await run('parity', '--fixtures', dir, '--backend', 'none', '--no-tokenizers');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /format tiny\/AlbertForMaskedLM fp16\s+core\s+albert\.encoder\.embedding_hidden_mapping_in\.bias: .*FAIL/,
    );
    expect(r.out).toMatch(
      /format tiny\/AlbertForMaskedLM fp16 \[core\]: albert\.encoder\.embedding_hidden_mapping_in\.bias: max \|Δ\| \S+ beyond float16 rounding \(element 0: /,
    );
    expect(r.out).toMatch(/format tiny\/AlbertForMaskedLM bf16\s+core.*PASS/);
  });

  it('fails the load-report check when a model folder lacks a weight', async () => {
    const dir = tinyFixtures();
    const file = join(dir, 'models/tiny/AlbertModel/model.safetensors');
    const { tensors, metadata } = parseSafetensors(new Uint8Array(readFileSync(file)), file);
    tensors.delete('pooler.bias');
    writeFileSync(file, serializeSafetensors(tensors, metadata));
    const r = await run('parity', '--fixtures', dir, '--backend', 'none', '--no-tokenizers', '--failures-only');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/load-report tiny\/AlbertModel as AlbertModel\s+core\s+missing 1: pooler\.bias\s+-\s+FAIL/);
  });

  it('checks tokenizer cases in all three modes and names the first mismatching string', async () => {
    const dir = copyFixtures(['tokenizers/spm-en-1000']);
    const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, cases: [] }));
    const ok = await run('parity', '--fixtures', dir, '--backend', 'none');
    expect(ok.code, ok.out).toBe(0);
    for (const mode of ['slow', 'tokenizers', 'hf'])
      expect(ok.out).toMatch(new RegExp(`tokenizer spm-en-1000 ${mode}\\s+tokenizer\\s+\\d+ compared\\s+-\\s+PASS`));
    const file = join(dir, 'tokenizers/spm-en-1000/cases.json');
    const cases = JSON.parse(readFileSync(file, 'utf8'));
    cases.singles[0].slow_ids[1] += 1;
    writeFileSync(file, JSON.stringify(cases));
    const bad = await run('parity', '--fixtures', dir, '--backend', 'none');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/tokenizer spm-en-1000 slow\s+tokenizer\s+#0 "Hello world!" slow_ids: got \[8,57,/);
    expect(bad.out).toMatch(/tokenizer spm-en-1000 hf\s+tokenizer\s+\d+ compared\s+-\s+PASS/);
  });

  /** `albert parity` on the onnx backend with the cross-backend check on the tiny AlbertModel config. */
  const matrixArgs = (dir: string, matrix: string[], crossSeq: number): string[] => [
    'parity',
    '--fixtures',
    dir,
    '--backend',
    'onnx',
    '--no-tokenizers',
    ...matrix,
    '--cross-config',
    join(dir, 'models/tiny/AlbertModel/config.json'),
    '--cross-seq',
    String(crossSeq),
  ];

  it('writes the Markdown, HTML and JSON matrix with the cross-backend check', async () => {
    const dir = tinyFixtures();
    const prefix = join(dir, 'out', 'parity-matrix');
    const r = await run(...matrixArgs(dir, ['--matrix', prefix], 16));
    expect(r.code, r.out).toBe(0);
    expect(existsSync(`${prefix}.md`)).toBe(true);
    const md = readFileSync(`${prefix}.md`, 'utf8');
    expect(md).toContain('## onnx');
    // eager cells carry the gradients too (∇ …): onnx computes them
    expect(md).toMatch(/\| tiny \/ AlbertModel \| ✓ \S+ \(∇ \S+\) \| ✓ \S+ \| ✓ \S+ \|/);
    expect(md).toContain('batch 2 × seq 16: PASS');
    const html = readFileSync(`${prefix}.html`, 'utf8');
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8'));
    expect(json.backends).toEqual(['onnx']);
    expect(json.cells['tiny / AlbertModel'].eager.onnx).toMatchObject({ pass: true, cases: 1 });
    expect(json.crossCheck.pass).toBe(true);
    // --matrix without a value writes parity-matrix.md / .html in the working directory
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const d = await run(...matrixArgs(dir, ['--matrix'], 8));
      expect(d.code, d.out).toBe(0);
      expect(d.err).toContain(`wrote parity-matrix.md, parity-matrix.html, parity-matrix.json`);
      expect(existsSync(join(dir, 'parity-matrix.md'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
    expect(html).toContain('<table id="parity-matrix">');
    expect(html).toMatch(/<td class="pass" title="1 case\(s\)">/);
  });
});
