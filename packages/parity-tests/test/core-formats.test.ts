// Every checkpoint format of the fixture models loads through core's public API to the same tensors as
// the float32 model.safetensors written by transformers: bit for bit for f32 formats, and exactly the
// round-to-nearest-even half-precision value for fp16/bf16 (as torch's .half() / .to(bfloat16) rounds).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointError,
  type CheckpointFormat,
  f16ToF32,
  f32ToF16,
  loadCheckpoint,
  loadPretrained,
  parseFlaxMsgpackRaw,
  parseWeightFile,
  readCheckpointDir,
  savePretrained,
  serializeFlaxMsgpack,
  type Tensor,
} from '@albertjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { listCheckpoints } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'albertjs-formats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bytesOf = (t: Tensor) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
const f32u = new Uint32Array(1);
const f32f = new Float32Array(f32u.buffer);
/** float32 → bfloat16 bits, round to nearest even (torch's conversion). */
function f32ToBf16(v: number): number {
  f32f[0] = v;
  const x = f32u[0]!;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

function expectBitIdentical(got: Map<string, Tensor>, ref: Map<string, Tensor>) {
  for (const [k, r] of ref) {
    const g = got.get(k);
    expect(g, k).toBeDefined();
    expect([k, g!.dtype, g!.shape]).toEqual([k, r.dtype, r.shape]);
    expect(Buffer.compare(Buffer.from(bytesOf(g!)), Buffer.from(bytesOf(r))), k).toBe(0);
  }
}

/** A model folder holding config.json (from `reference`) and the given weight files. */
function folder(name: string, reference: string, files: Record<string, string | Uint8Array>): string {
  const d = join(tmp, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  copyFileSync(join(reference, 'config.json'), join(d, 'config.json'));
  for (const [f, src] of Object.entries(files)) {
    if (typeof src === 'string') copyFileSync(src, join(d, f));
    else writeFileSync(join(d, f), src);
  }
  return d;
}

const fixtures = listCheckpoints();

describe.each(fixtures.map((f) => [f.name, f] as const))('checkpoint formats of %s', (name, fx) => {
  const head = name.split('/')[1] as 'AlbertForMaskedLM' | 'AlbertForSequenceClassification';
  const refP = readCheckpointDir(fx.reference);

  it.each(fx.formats.filter((f) => f.kind === 'file').map((f) => [f.format, f.path] as const))(
    '%s (as pytorch_model.bin) is bit-identical',
    async (_f, path) => {
      const ref = await refP;
      const d = folder(`${name.replace('/', '_')}_${_f}`, fx.reference, { 'pytorch_model.bin': path });
      const raw = await loadCheckpoint(d);
      expect(raw.format).toBe('pytorch');
      expectBitIdentical(raw.tensors, ref.tensors);
      const { report, weights } = await loadPretrained(d, head);
      expect(report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
      if (head === 'AlbertForMaskedLM') {
        // the tied decoder weight shares its storage with the word embeddings in the .bin: one tensor
        expect(raw.tensors.get('predictions.decoder.weight')).toBe(
          raw.tensors.get('albert.embeddings.word_embeddings.weight'),
        );
        expect(weights.get('predictions.decoder.weight')).toBe(weights.get('albert.embeddings.word_embeddings.weight'));
      }
    },
  );

  it.each(fx.formats.filter((f) => f.kind === 'dir').map((f) => [f.format, f.path] as const))(
    '%s safetensors is the RNE rounding of float32, kept or widened',
    async (fmt, path) => {
      const ref = await refP;
      // generate_checkpoints.py converts the model to bf16 after `.half()` (in place), so bf16 values are
      // RNE(x) or RNE(f16(x)) (double rounding); fp16 values are exactly RNE(x).
      const round = fmt === 'fp16' ? f32ToF16 : f32ToBf16;
      const alt = fmt === 'fp16' ? f32ToF16 : (x: number) => f32ToBf16(f16ToF32(f32ToF16(x)));
      const kept = await loadPretrained(path, head, { dtype: 'keep' });
      const widened = await loadPretrained(path, head);
      expect(kept.report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
      let worst = 0;
      for (const [k, r] of ref.tensors) {
        const h = kept.weights.get(k);
        expect(h.dtype).toBe(fmt === 'fp16' ? 'float16' : 'bfloat16');
        const rv = r.data as Float32Array;
        const bits = h.data as Uint16Array;
        const w = widened.weights.get(k).data as Float32Array;
        expect(widened.weights.get(k).dtype).toBe('float32');
        for (let i = 0; i < rv.length; i++) {
          const x = rv[i]!;
          const src = bits[i] === round(x) ? x : bits[i] === alt(x) ? f16ToF32(f32ToF16(x)) : undefined;
          if (src === undefined) throw new Error(`${k}[${i}]: ${fmt} bits ${bits[i]} are not RNE(${x}) = ${round(x)}`);
          worst = Math.max(worst, Math.abs(w[i]! - src) / Math.max(Math.abs(src), 2 ** -14));
        }
      }
      // the widened value is within half an ulp of the value rounded: 2^-11 relative for fp16, 2^-8 for bf16
      expect(worst).toBeLessThanOrEqual(fmt === 'fp16' ? 2 ** -11 : 2 ** -8);
    },
  );

  it('flax_model.msgpack (written in flax layout) loads bit-identical', async () => {
    const ref = await refP;
    const msgpack = serializeFlaxMsgpack(ref.tensors);
    const flaxNames = [...parseFlaxMsgpackRaw(msgpack).keys()];
    expect(flaxNames).toContain('albert/embeddings/word_embeddings/embedding');
    expect(flaxNames).toContain('albert/encoder/albert_layer_groups/0/albert_layers/0/ffn/kernel');
    const d = folder(`${name.replace('/', '_')}_flax`, fx.reference, { 'flax_model.msgpack': msgpack });
    const raw = await loadCheckpoint(d);
    expect(raw.format).toBe('flax');
    expectBitIdentical(raw.tensors, ref.tensors);
    expect((await loadPretrained(d, head)).report).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      newlyInitialized: [],
    });
  });

  it('sharded model.safetensors.index.json (split with savePretrained) loads bit-identical', async () => {
    const ref = await refP;
    const d = join(tmp, `${name.replace('/', '_')}_sharded`);
    const written = await savePretrained(d, ref.config, ref.tensors, { maxShardBytes: 40_000 });
    const shards = written.filter((f) => /model-\d{5}-of-\d{5}\.safetensors$/.test(f));
    expect(shards.length).toBeGreaterThan(1);
    const raw = await loadCheckpoint(d);
    expect(raw.format).toBe('safetensors-sharded');
    expect(raw.files.length).toBe(shards.length + 1);
    expectBitIdentical(raw.tensors, ref.tensors);
  });

  it('prefers safetensors > sharded > bin > msgpack in one folder', async () => {
    const ref = await refP;
    const bin = fx.formats.find((f) => f.format === 'pytorch_model.bin')!.path;
    const d = join(tmp, `${name.replace('/', '_')}_all`);
    await savePretrained(join(d, 'sharded'), ref.config, ref.tensors, { maxShardBytes: 40_000 });
    const all = folder(`${name.replace('/', '_')}_all_formats`, fx.reference, {
      'model.safetensors': join(fx.reference, 'model.safetensors'),
      'pytorch_model.bin': bin,
      'flax_model.msgpack': serializeFlaxMsgpack(ref.tensors),
    });
    for (const f of readdirSync(join(d, 'sharded')))
      if (f !== 'config.json') copyFileSync(join(d, 'sharded', f), join(all, f));
    const order: CheckpointFormat[] = [];
    for (const drop of [
      'model.safetensors',
      'model.safetensors.index.json',
      'pytorch_model.bin',
      'flax_model.msgpack',
    ]) {
      const raw = await loadCheckpoint(all);
      order.push(raw.format);
      expectBitIdentical(raw.tensors, ref.tensors);
      rmSync(join(all, drop));
    }
    expect(order).toEqual(['safetensors', 'safetensors-sharded', 'pytorch', 'flax']);
    await expect(loadCheckpoint(all)).rejects.toThrow(
      /has no weights file \(looked for model\.safetensors, model\.safetensors\.index\.json, pytorch_model\.bin/,
    );
  });
});

describe('truncated fixture files always give a CheckpointError naming the file', () => {
  const files = fixtures.flatMap((fx) => [
    ...fx.formats.filter((f) => f.kind === 'file').map((f) => [`${fx.name}/${f.format}`, f.path] as const),
    [`${fx.name}/model.safetensors`, join(fx.reference, 'model.safetensors')] as const,
  ]);
  it.each(files)('%s', (name, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const file = name.endsWith('.safetensors') ? 'model.safetensors' : 'pytorch_model.bin';
    // cut points spread over the file, including inside the header / pickle and inside the tensor data
    const cuts = [
      0,
      1,
      7,
      9,
      64,
      200,
      1000,
      5000,
      ...Array.from({ length: 12 }, (_, i) => Math.floor(((i + 1) * bytes.length) / 13)),
      bytes.length - 1,
    ];
    for (const cut of cuts) {
      let err: unknown;
      try {
        parseWeightFile(file, bytes.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(CheckpointError);
      expect((err as Error).message, `cut at ${cut}`).toContain(file);
    }
  });
});
