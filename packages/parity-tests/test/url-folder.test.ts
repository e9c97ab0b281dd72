// Model folders over HTTP (core's modelFolderUrl / urlReader, which the tokenizer reads through too): what a
// browser page does with pipeline(task, '/model/', …), here with an http:// URL in Node. Every read must equal
// reading the same files from disk; missing files, SPA index.html fallbacks and server errors are named.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CheckpointError, HubError, loadCheckpoint, loadPretrained, readCheckpointDir } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { DEFAULT_FIXTURES_DIR } from '@albertjs/parity-tests';
import { pipeline } from '@albertjs/pipelines';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const modelDir = join(DEFAULT_FIXTURES_DIR, 'models/tiny/AlbertForMaskedLM');
const tokDir = join(DEFAULT_FIXTURES_DIR, 'tokenizers/spm-en-1000');
/** /m/ = model files + tokenizer files (a complete model folder); /spa/ answers index.html for anything. */
const FILES: Record<string, string> = {
  '/m/config.json': join(modelDir, 'config.json'),
  '/m/model.safetensors': join(modelDir, 'model.safetensors'),
  '/m/tokenizer.json': join(tokDir, 'tokenizer.json'),
  '/m/tokenizer_config.json': join(tokDir, 'tokenizer_config.json'),
  '/m/spiece.model': join(tokDir, 'spiece.model'),
};

let server: Server;
let base: string;
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    requested.push(path);
    if (path.startsWith('/broken/')) {
      res.writeHead(500).end('boom');
    } else if (path.startsWith('/spa/')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
    } else if (FILES[path]) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(FILES[path]!));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('model folders over HTTP', () => {
  it('loadCheckpoint(url) reads the same config and tensors as the folder on disk', async () => {
    const got = await loadCheckpoint(`${base}/m`);
    const want = await readCheckpointDir(modelDir);
    expect(got.config.toJSON()).toEqual(want.config.toJSON());
    expect(got.format).toBe('safetensors');
    expect(got.files).toEqual([`${base}/m/config.json`, `${base}/m/model.safetensors`]);
    expect([...got.tensors.keys()].sort()).toEqual([...want.tensors.keys()].sort());
    for (const [name, t] of want.tensors) {
      const w = got.tensors.get(name);
      expect(w?.shape, name).toEqual(t.shape);
      expect(Buffer.from(w!.data.buffer, w!.data.byteOffset, w!.data.byteLength)).toEqual(
        Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      );
    }
  });

  it('AlbertTokenizerFast.fromPretrained(url) encodes as the folder on disk does', async () => {
    const a = await AlbertTokenizerFast.fromPretrained(`${base}/m/`);
    const b = await AlbertTokenizerFast.fromPretrained(tokDir);
    const text = 'The capital of [MASK] is Paris.';
    expect(a.encode(text)).toEqual(b.encode(text));
  });

  it('pipeline(task, url) gives what pipeline(task, folder) gives, and is callable', async () => {
    const backend = await createBackend();
    const byUrl = await pipeline('fill-mask', `${base}/m/`, { backend });
    const { cpSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'albert-url-folder-'));
    for (const [p, f] of Object.entries(FILES)) cpSync(f, join(dir, p.slice(3)));
    const byDir = await pipeline('fill-mask', dir, { backend });
    const text = 'The capital of [MASK] is Paris.';
    expect(await byUrl(text)).toEqual(await byDir.run(text));
    byUrl.dispose();
    byDir.dispose();
  });

  it('a server that answers index.html for every path has no model: the error names the URL', async () => {
    await expect(loadPretrained(`${base}/spa/`, 'AlbertForMaskedLM')).rejects.toMatchObject({
      constructor: HubError,
      message: `${base}/spa/ has no config.json`,
      status: 404,
    });
    await expect(AlbertTokenizerFast.fromPretrained(`${base}/spa/`)).rejects.toThrow(/neither tokenizer.json/);
  });

  it('a folder without weights, and a server error, are named with the URL', async () => {
    const noWeights = `${base}/m-config-only/`;
    FILES['/m-config-only/config.json'] = join(modelDir, 'config.json');
    await expect(loadPretrained(noWeights, 'AlbertForMaskedLM')).rejects.toThrow(
      new CheckpointError(
        `${noWeights} has no weights file (looked for model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json, flax_model.msgpack)`,
      ),
    );
    await expect(loadPretrained(`${base}/broken/`, 'AlbertForMaskedLM')).rejects.toThrow(
      new CheckpointError(`GET ${base}/broken/config.json: HTTP 500 Internal Server Error`),
    );
    // the tokenizer reads through core's openPretrained: the same error as the model's
    await expect(AlbertTokenizerFast.fromPretrained(`${base}/broken/`)).rejects.toThrow(
      new CheckpointError(`GET ${base}/broken/tokenizer_config.json: HTTP 500 Internal Server Error`),
    );
  });
});
