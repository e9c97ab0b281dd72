// Reading tokenizer files from a folder, a Hugging Face cache entry, a URL or a Hub repo id (through core's Hub
// client: revision, token, offline, cache), and writing tokenizer folders. Node's fs is imported lazily so that
// browser bundles never load it.
import { type HubOptions, openPretrained } from '@albertjs/core';

/** The files of a tokenizer folder, as bytes or text. */
export interface TokenizerFiles {
  'spiece.model'?: Uint8Array;
  'tokenizer.json'?: string;
  'tokenizer_config.json'?: string;
  'special_tokens_map.json'?: string;
  'vocab.txt'?: string;
}

const TEXT_FILES = ['tokenizer_config.json', 'tokenizer.json', 'special_tokens_map.json'] as const;

/**
 * The tokenizer files of `idOrPath` (folder, `models--org--name` cache folder, URL, or Hub repo id), as
 * transformers' from_pretrained fetches them; files the source lacks are left out. `vocab.txt` (BERT) is only
 * looked for when there is neither tokenizer.json nor spiece.model.
 */
export async function loadTokenizerFiles(
  idOrPath: string,
  options: HubOptions = {},
): Promise<{ files: TokenizerFiles; where: string }> {
  const source = await openPretrained(idOrPath, options);
  const out: TokenizerFiles = {};
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  for (const f of TEXT_FILES) {
    const b = await source.read(f);
    if (b) out[f] = text(b);
  }
  const sp = await source.read('spiece.model');
  if (sp) out['spiece.model'] = sp;
  if (out['tokenizer.json'] === undefined && sp === undefined) {
    const v = await source.read('vocab.txt');
    if (v) out['vocab.txt'] = text(v);
  }
  return { files: out, where: source.where };
}

/** The tokenizer files of a local folder (or any source loadTokenizerFiles accepts). */
export async function readTokenizerFolder(dir: string, options: HubOptions = {}): Promise<TokenizerFiles> {
  return (await loadTokenizerFiles(dir, options)).files;
}

export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    const p = path.join(dir, name);
    await fs.writeFile(p, data);
    written.push(p);
  }
  return written;
}
