// Picks the tokenizer a checkpoint folder ships: tokenizer.json or spiece.model → AlbertTokenizerFast, a BERT
// vocab.txt alone (the Chinese ALBERT checkpoints) → BertTokenizer; tokenizer_config.json is honoured either way.
import { AlbertTokenizerFast, type AlbertTokenizerFastOptions } from './albert-tokenizer-fast.js';
import { parseTokenizerConfig } from './config.js';
import { TokenizerFileError } from './errors.js';
import { readTokenizerFolder, type TokenizerFiles } from './files.js';
import { BertTokenizer } from './wordpiece/bert-tokenizer.js';

export type AnyTokenizer = AlbertTokenizerFast | BertTokenizer;

export const AutoTokenizer = {
  fromFiles(files: TokenizerFiles, options: AlbertTokenizerFastOptions = {}): AnyTokenizer {
    if (files['tokenizer.json'] !== undefined || files['spiece.model'] !== undefined)
      return AlbertTokenizerFast.fromFiles(files, options);
    if (files['vocab.txt'] !== undefined) {
      const cfg = parseTokenizerConfig(files['tokenizer_config.json'], files['special_tokens_map.json']);
      const raw = cfg.raw;
      return new BertTokenizer(files['vocab.txt'], {
        doLowerCase: cfg.doLowerCase,
        stripAccents: typeof raw.strip_accents === 'boolean' ? raw.strip_accents : undefined,
        tokenizeChineseChars: raw.tokenize_chinese_chars !== false,
        doBasicTokenize: raw.do_basic_tokenize !== false,
        ...(cfg.modelMaxLength !== undefined ? { modelMaxLength: cfg.modelMaxLength } : {}),
        ...(cfg.paddingSide !== undefined ? { paddingSide: cfg.paddingSide } : {}),
        ...(cfg.modelInputNames !== undefined ? { modelInputNames: cfg.modelInputNames } : {}),
        specialTokens: cfg.specialTokens,
        ...options,
      });
    }
    throw new TokenizerFileError('no tokenizer files: expected tokenizer.json, spiece.model or vocab.txt');
  },

  async fromPretrained(dir: string, options: AlbertTokenizerFastOptions = {}): Promise<AnyTokenizer> {
    const files = await readTokenizerFolder(dir);
    try {
      return AutoTokenizer.fromFiles(files, options);
    } catch (e) {
      if (e instanceof TokenizerFileError) throw new TokenizerFileError(`${dir}: ${e.message}`, { cause: e });
      throw e;
    }
  },
};
