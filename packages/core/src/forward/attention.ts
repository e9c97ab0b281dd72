// The attention implementation of one call, decided the same way on every backend:
// - only 'eager' and 'sdpa' exist (transformers refuses an attn_implementation it does not know with an
//   error at load: a ConfigError here, at loadModel and at forward alike);
// - sdpa cannot return attention probabilities: outputAttentions runs that call eager (transformers' sdpa
//   path falls back to eager for output_attentions);
// - sdpa ignores head_mask, with a warning printed once per model.
// Output flags default to config.output_attentions / output_hidden_states, as transformers' forward() does.
import type { AttnImplementation, ForwardOptions } from '../backend.js';
import type { AlbertConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { PreparedInputs } from './prepare.js';

export const ATTN_IMPLEMENTATIONS: readonly AttnImplementation[] = ['eager', 'sdpa'];

/** `value` as an AttnImplementation, or a ConfigError naming it. */
export function checkAttnImplementation(value: unknown): AttnImplementation {
  if (value === 'eager' || value === 'sdpa') return value;
  throw new ConfigError(`attnImplementation must be "eager" or "sdpa", got ${JSON.stringify(value) ?? String(value)}`);
}

/** A warning sink that prints each distinct message once (one per loaded model). */
export function onceWarner(sink: (msg: string) => void = (m) => console.warn(m)): (msg: string) => void {
  const seen = new Set<string>();
  return (msg) => {
    if (seen.has(msg)) return;
    seen.add(msg);
    sink(msg);
  };
}

export const SDPA_HEAD_MASK_WARNING =
  'head_mask is ignored by attnImplementation "sdpa"; load or call with attnImplementation: "eager" to apply it';

export interface ResolvedCall {
  attn: AttnImplementation;
  outputHiddenStates: boolean;
  outputAttentions: boolean;
  /** The head mask the model applies ([L, H]); absent with sdpa or when none was given. */
  headMask?: Float32Array;
}

/** Decides one forward call: attention implementation, output flags and the head mask actually applied. */
export function resolveAttention(
  config: AlbertConfig,
  modelDefault: AttnImplementation,
  prepared: Pick<PreparedInputs, 'headMask'>,
  options: ForwardOptions,
  warn: (msg: string) => void,
): ResolvedCall {
  let attn = checkAttnImplementation(options.attnImplementation ?? modelDefault);
  const outputAttentions = !!(options.outputAttentions ?? config.output_attentions);
  const outputHiddenStates = !!(options.outputHiddenStates ?? config.output_hidden_states);
  if (attn === 'sdpa' && outputAttentions) attn = 'eager';
  if (attn === 'sdpa' && prepared.headMask) warn(SDPA_HEAD_MASK_WARNING);
  return {
    attn,
    outputHiddenStates,
    outputAttentions,
    ...(attn === 'eager' && prepared.headMask ? { headMask: prepared.headMask } : {}),
  };
}

/** A loadModel `dtype` one of `supported`, or the one ConfigError every backend gives for it. */
export function checkDType<T extends string>(backend: string, value: unknown, supported: readonly T[]): T {
  if ((supported as readonly unknown[]).includes(value)) return value as T;
  throw new ConfigError(
    `dtype = ${JSON.stringify(value) ?? String(value)}: ${backend} supports ${supported.map((s) => `"${s}"`).join(', ')}`,
  );
}
