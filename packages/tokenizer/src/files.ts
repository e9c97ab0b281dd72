// Reading tokenizer files from a folder, a Hugging Face cache entry, a folder URL (browsers: '/models/albert/') or
// a Hub repo id, through @albertjs/core's openPretrained (revision, token, offline, cache), or from any reader
// (readTokenizerFiles); and writing tokenizer folders. Node's fs is imported lazily so that browser bundles never load it.
import { type HubOptions, nodeBuiltin, openPretrained } from '@albertjs/core';

/** The files of a tokenizer folder, as bytes or text. */
export interface TokenizerFiles {
  'spiece.model'?: Uint8Array;
  'tokenizer.json'?: string;
  'tokenizer_config.json'?: string;
  'special_tokens_map.json'?: string;
  'vocab.txt'?: string;
}

const TEXT_FILES = ['tokenizer_config.json', 'tokenizer.json', 'special_tokens_map.json'] as const;

/** Reads one file of a tokenizer folder: undefined when it does not exist. */
export type TokenizerFileReader = (name: string) => Promise<Uint8Array | undefined>;

/**
 * The tokenizer files `read` finds, as transformers' from_pretrained fetches them: tokenizer_config.json,
 * tokenizer.json, special_tokens_map.json, spiece.model, and `vocab.txt` (BERT) only when there is neither
 * tokenizer.json nor spiece.model.
 */
export async function readTokenizerFiles(read: TokenizerFileReader): Promise<TokenizerFiles> {
  const out: TokenizerFiles = {};
  // all requests settle before an error is thrown (none left running); the first file's error in this order wins
  const settled = await Promise.allSettled([...TEXT_FILES, 'spiece.model'].map((f) => read(f)));
  const bytes: (Uint8Array | undefined)[] = [];
  for (const r of settled) {
    if (r.status === 'rejected') throw r.reason;
    bytes.push(r.value);
  }
  const sp = bytes[TEXT_FILES.length];
  const utf8 = new TextDecoder();
  TEXT_FILES.forEach((f, i) => {
    const b = bytes[i];
    if (b) out[f] = utf8.decode(b);
  });
  if (sp) out['spiece.model'] = sp;
  if (out['tokenizer.json'] === undefined && sp === undefined) {
    const v = await read('vocab.txt');
    if (v) out['vocab.txt'] = utf8.decode(v);
  }
  return out;
}

/**
 * The tokenizer files of `idOrPath`: a folder, a `models--org--name` cache folder, a folder URL, or a Hub repo id
 * (HubOptions: revision, token, localFilesOnly, cacheDir, endpoint …). `where` names the source for messages.
 */
export async function loadTokenizerFiles(
  idOrPath: string,
  options: HubOptions = {},
): Promise<{ files: TokenizerFiles; where: string }> {
  const source = await openPretrained(idOrPath, options);
  return { files: await readTokenizerFiles(source.read), where: source.where };
}

/** The tokenizer files of a local folder, a folder URL or a Hub repo id (see loadTokenizerFiles). */
export async function readTokenizerFolder(dir: string, options: HubOptions = {}): Promise<TokenizerFiles> {
  return (await loadTokenizerFiles(dir, options)).files;
}

export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  const fs = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const path = nodeBuiltin<typeof import('node:path')>('node:path');
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    const p = path.join(dir, name);
    await fs.writeFile(p, data);
    written.push(p);
  }
  return written;
}
