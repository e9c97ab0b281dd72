// tokenizer_config.json / special_tokens_map.json as transformers writes them, read into tokenizer settings.
import { show, TokenizerFileError } from './errors.js';
import type { SpecialTokensMap, TokenizerSettings } from './tokenization-base.js';

export interface AlbertConfig extends TokenizerSettings {
  doLowerCase?: boolean;
  keepAccents?: boolean;
  removeSpace?: boolean;
  /** Extra tokenizer_config.json fields, kept when saving. */
  raw: Record<string, unknown>;
}

const SPECIAL_KEYS = [
  'unk_token',
  'sep_token',
  'pad_token',
  'cls_token',
  'mask_token',
  'bos_token',
  'eos_token',
] as const;

function tokenString(v: unknown, key: string, source: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string')
    return (v as { content: string }).content;
  throw new TokenizerFileError(`${source}: ${key} is ${show(v)}, neither a string nor an AddedToken`);
}

function bool(v: unknown, key: string, source: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new TokenizerFileError(`${source}: ${key} must be true or false, got ${show(v)}`);
  return v;
}

function parseJson(text: string, source: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new TokenizerFileError(`${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new TokenizerFileError(`${source} must hold a JSON object`);
  return v as Record<string, unknown>;
}

export function parseTokenizerConfig(configText?: string, specialTokensMapText?: string): AlbertConfig {
  const raw = configText ? parseJson(configText, 'tokenizer_config.json') : {};
  const map = specialTokensMapText ? parseJson(specialTokensMapText, 'special_tokens_map.json') : {};
  const specialTokens: Partial<SpecialTokensMap> = {};
  for (const k of SPECIAL_KEYS) {
    const v = tokenString(raw[k], k, 'tokenizer_config.json') ?? tokenString(map[k], k, 'special_tokens_map.json');
    if (v !== undefined) specialTokens[k] = v;
  }
  const mml = raw.model_max_length;
  // transformers writes a huge sentinel (int(1e30)) when no maximum is known.
  const modelMaxLength = typeof mml === 'number' && mml < 1e15 ? mml : undefined;
  const side = (k: string) => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (v !== 'right' && v !== 'left')
      throw new TokenizerFileError(`tokenizer_config.json: ${k} must be "right" or "left", got ${show(v)}`);
    return v;
  };
  return {
    raw,
    doLowerCase: bool(raw.do_lower_case, 'do_lower_case', 'tokenizer_config.json'),
    keepAccents: bool(raw.keep_accents, 'keep_accents', 'tokenizer_config.json'),
    removeSpace: bool(raw.remove_space, 'remove_space', 'tokenizer_config.json'),
    modelMaxLength,
    paddingSide: side('padding_side'),
    truncationSide: side('truncation_side'),
    cleanUpTokenizationSpaces: bool(
      raw.clean_up_tokenization_spaces,
      'clean_up_tokenization_spaces',
      'tokenizer_config.json',
    ),
    specialTokens,
    modelInputNames: Array.isArray(raw.model_input_names) ? (raw.model_input_names as string[]) : undefined,
  };
}

/** Options for a tokenizer class: tokenizer_config.json's settings, overridden by the caller's options (when set). */
export function mergeConfigOptions<O extends TokenizerSettings & Partial<Omit<AlbertConfig, 'raw'>>>(
  cfg: AlbertConfig,
  options: O,
): O {
  const merged = {
    doLowerCase: cfg.doLowerCase,
    keepAccents: cfg.keepAccents,
    removeSpace: cfg.removeSpace,
    modelMaxLength: cfg.modelMaxLength,
    paddingSide: cfg.paddingSide,
    truncationSide: cfg.truncationSide,
    cleanUpTokenizationSpaces: cfg.cleanUpTokenizationSpaces,
    modelInputNames: cfg.modelInputNames,
    ...options,
    specialTokens: { ...cfg.specialTokens, ...options.specialTokens },
  } as unknown as Record<string, unknown>;
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged as O;
}
