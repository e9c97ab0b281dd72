// Picks the tokenizer class a checkpoint ships, as transformers' AutoTokenizer does: tokenizer_config.json's
// `tokenizer_class` (BertTokenizer for the Chinese ALBERT checkpoints' vocab.txt), the fast class unless
// `useFast: false` (AlbertTokenizerFast from tokenizer.json, or converted from spiece.model), the slow
// AlbertTokenizer (spiece.model) with `useFast: false`.
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/auto/tokenization_auto.py
import { type HubOptions, splitHubOptions } from '@albertjs/core';
import { AlbertTokenizer } from './albert-tokenizer.js';
import { AlbertTokenizerFast, type AlbertTokenizerFastOptions } from './albert-tokenizer-fast.js';
import { parseTokenizerConfig } from './config.js';
import { TokenizerFileError, withSource } from './errors.js';
import { loadTokenizerFiles, type TokenizerFiles } from './files.js';
import { BertTokenizer } from './wordpiece/bert-tokenizer.js';

export type AnyTokenizer = AlbertTokenizerFast | AlbertTokenizer | BertTokenizer;

export interface AutoTokenizerOptions extends AlbertTokenizerFastOptions {
  /** false: the slow (sentencepiece) AlbertTokenizer, as transformers' `use_fast=False`. Default true. */
  useFast?: boolean;
}

/** tokenizer_config.json's tokenizer_class without the `Fast` suffix, if any. */
function configClass(files: TokenizerFiles): string | undefined {
  const c = parseTokenizerConfig(files['tokenizer_config.json']).raw.tokenizer_class;
  return typeof c === 'string' ? c.replace(/Fast$/, '') : undefined;
}

export const AutoTokenizer = {
  fromFiles(files: TokenizerFiles, options: AutoTokenizerOptions = {}): AnyTokenizer {
    const { useFast = true, ...rest } = options;
    const cls = configClass(files);
    const albertFiles = files['tokenizer.json'] !== undefined || files['spiece.model'] !== undefined;
    if (cls !== 'BertTokenizer' && albertFiles) {
      if (!useFast) {
        const { pipeline: _pipeline, ...slow } = rest;
        return AlbertTokenizer.fromFiles(files, slow);
      }
      return AlbertTokenizerFast.fromFiles(files, rest);
    }
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
        ...rest,
      });
    }
    throw new TokenizerFileError('no tokenizer files: expected tokenizer.json, spiece.model or vocab.txt');
  },

  /** A folder, a Hugging Face cache folder, a URL or a Hub repo id (with HubOptions: revision, token, …). */
  async fromPretrained(idOrPath: string, options: AutoTokenizerOptions & HubOptions = {}): Promise<AnyTokenizer> {
    const [hub, rest] = splitHubOptions(options);
    const { files, where } = await loadTokenizerFiles(idOrPath, hub);
    return withSource(where, () => AutoTokenizer.fromFiles(files, rest));
  },
};
