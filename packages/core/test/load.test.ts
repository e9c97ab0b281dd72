import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlbertConfig,
  baseModelParams,
  ConfigError,
  loadPretrained,
  parseShardIndex,
  parseWeightFile,
  readCheckpointDir,
  savePretrained,
  serializeSafetensors,
  shardSafetensors,
  Tensor,
} from '@albertjs/core';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'albertjs-core-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = new AlbertConfig({
  vocab_size: 20,
  embedding_size: 4,
  hidden_size: 8,
  num_attention_heads: 2,
  intermediate_size: 6,
  num_hidden_layers: 2,
  max_position_embeddings: 10,
});
/** Deterministic AlbertModel weights for `config`. */
function tensors(): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  let seed = 1;
  for (const p of baseModelParams(config)) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    m.set(
      p.name,
      Tensor.f32(
        Array.from({ length: n }, () => {
          seed = (seed * 48271) % 2147483647;
          return seed / 2147483647 - 0.5;
        }),
        p.shape,
      ),
    );
  }
  return m;
}
function dir(name: string): string {
  const d = join(tmp, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

describe('model folders', () => {
  it('savePretrained → loadPretrained round trip (single file and shards)', async () => {
    const t = tensors();
    for (const maxShardBytes of [undefined, 200]) {
      const d = dir(`rt-${maxShardBytes}`);
      await savePretrained(d, config, t, { head: 'AlbertModel', maxShardBytes });
      const m = await loadPretrained(d, 'AlbertModel');
      expect(m.format).toBe(maxShardBytes ? 'safetensors-sharded' : 'safetensors');
      expect(m.report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
      for (const [k, v] of t) expect(m.weights.get(k).data).toEqual(v.data);
      expect(JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')).architectures).toEqual(['AlbertModel']);
    }
  });

  it('shards are named and indexed as huggingface_hub does', () => {
    const { index, shards } = shardSafetensors(tensors(), 300);
    const names = [...shards.keys()];
    expect(names[0]).toBe(`model-00001-of-${String(names.length).padStart(5, '0')}.safetensors`);
    expect(index.metadata.total_size).toBe([...tensors().values()].reduce((s, t) => s + t.data.byteLength, 0));
    expect(Object.keys(index.weight_map).sort()).toEqual([...tensors().keys()].sort());
    expect(() => shardSafetensors(tensors(), 0)).toThrow(/maxShardBytes = 0: must be a positive number/);
  });

  it('config.json with wrong JSON types names the file, field and value', async () => {
    const d = dir('badcfg');
    writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config.toJSON(), num_attention_heads: '2' }));
    writeFileSync(join(d, 'model.safetensors'), serializeSafetensors(tensors()));
    const err = await readCheckpointDir(d).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/config\.num_attention_heads = "2": expected a positive integer, got string/);
    writeFileSync(join(d, 'config.json'), '{"hidden_size": ');
    await expect(readCheckpointDir(d)).rejects.toThrow(
      new RegExp(`${join(d, 'config.json').replaceAll('/', '\\/')} is not valid JSON`),
    );
  });

  it('missing config or weights are CheckpointErrors naming the folder', async () => {
    const d = dir('empty');
    await expect(readCheckpointDir(d)).rejects.toThrow(/cannot read .*empty\/config\.json: no such file/);
    writeFileSync(join(d, 'config.json'), config.toJSONString());
    await expect(readCheckpointDir(d)).rejects.toThrow(
      /empty has no weights file \(looked for model\.safetensors, model\.safetensors\.index\.json, pytorch_model\.bin, pytorch_model\.bin\.index\.json, flax_model\.msgpack\)/,
    );
    await expect(readCheckpointDir(d, { format: 'flax' })).rejects.toThrow(
      /has no weights file \(looked for flax_model\.msgpack\)/,
    );
  });

  it('broken shard indexes are errors naming the shard or tensor', async () => {
    const d = dir('badindex');
    writeFileSync(join(d, 'config.json'), config.toJSONString());
    const { index, shards } = shardSafetensors(tensors(), 300);
    for (const [f, b] of shards) writeFileSync(join(d, f), b);
    const write = (i: unknown) => writeFileSync(join(d, 'model.safetensors.index.json'), JSON.stringify(i));
    write({ ...index, weight_map: { ...index.weight_map, 'pooler.weight': 'model-00009-of-00009.safetensors' } });
    await expect(readCheckpointDir(d)).rejects.toThrow(
      /names shard model-00009-of-00009\.safetensors, which is missing/,
    );
    write({ ...index, weight_map: { ...index.weight_map, 'extra.weight': Object.values(index.weight_map)[0] } });
    await expect(readCheckpointDir(d)).rejects.toThrow(
      /maps extra\.weight to model-00001-of-\d+\.safetensors, but that shard does not contain it/,
    );
    // every tensor is in some shard, but the index sends one to another shard: refused, naming where it is
    const files = [...shards.keys()];
    const [moved] = Object.entries(index.weight_map).filter(([, f]) => f === files[0]);
    write({ ...index, weight_map: { ...index.weight_map, [moved![0]]: files[1] } });
    await expect(readCheckpointDir(d)).rejects.toThrow(
      new RegExp(
        `maps ${moved![0].replaceAll('.', '\\.')} to ${files[1]!.replaceAll('.', '\\.')}, but that shard does not contain it \\(it is in ${files[0]!.replaceAll('.', '\\.')}: the index is wrong\\)`,
      ),
    );
    expect(() => parseShardIndex(JSON.stringify({ weight_map: { a: '../../etc/passwd' } }))).toThrow(
      /weight_map\["a"\] = "\.\.\/\.\.\/etc\/passwd" is not a shard file name/,
    );
    expect(() => parseShardIndex('{"weight_map": 3}')).toThrow(/weight_map must be an object, got 3/);
  });

  it('weight files are parsed by extension; unknown ones are named', () => {
    expect(parseWeightFile('x.safetensors', serializeSafetensors(tensors())).size).toBe(tensors().size);
    expect(() => parseWeightFile('model.h5', new Uint8Array(4))).toThrow(/model\.h5: unknown weight file type/);
  });
});
