// Reading and writing tokenizer folders. Node's fs is imported lazily so that browser bundles that only use
// fromFiles() never load it.

/** The files of a tokenizer folder, as bytes or text. */
export interface TokenizerFiles {
  'spiece.model'?: Uint8Array;
  'tokenizer.json'?: string;
  'tokenizer_config.json'?: string;
  'special_tokens_map.json'?: string;
  'vocab.txt'?: string;
}

const TEXT_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const;

export async function readTokenizerFolder(dir: string): Promise<TokenizerFiles> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const out: TokenizerFiles = {};
  const read = async (name: string) => {
    try {
      return await fs.readFile(path.join(dir, name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
  const sp = await read('spiece.model');
  if (sp) out['spiece.model'] = new Uint8Array(sp);
  for (const f of TEXT_FILES) {
    const b = await read(f);
    if (b) out[f] = b.toString('utf8');
  }
  return out;
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
