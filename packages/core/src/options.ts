// Options objects are checked against the names a function knows: a misspelt or snake_case option (`top_k`,
// `return_tensors`, `max_length`, as transformers and Python spell them) is an error that names it and the
// camelCase spelling, never silently ignored. Used by the pipelines and the backends' forward().
import { InputError } from './errors.js';

/** `top_k` → `topK`, `output_hidden_states` → `outputHiddenStates`. */
export function camelCase(name: string): string {
  return name.replace(/[_-]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The message for an option `where` does not know: "unknown option top_k — did you mean topK?" when the
 * camelCase (or case-insensitive) spelling is known, else the list of known options.
 */
export function unknownOptionMessage(where: string, name: string, known: readonly string[]): string {
  const camel = camelCase(name);
  const guess =
    known.find((k) => k === camel) ?? known.find((k) => k.toLowerCase() === camel.replace(/[_-]/g, '').toLowerCase());
  const hint = guess ? ` — did you mean ${guess}?` : ` (known: ${known.length ? known.join(', ') : 'none'})`;
  return `${where}: unknown option ${name}${hint}`;
}

/**
 * Throws an InputError for the first key of `options` that is not in `known` (undefined and null options pass).
 * `known` is usually typed `Record<keyof TheOptions, true>` so that the compiler keeps it complete.
 */
export function checkOptions(where: string, options: unknown, known: Readonly<Record<string, true>>): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options))
    throw new InputError(
      `${where}: options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`,
    );
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(known, name)) throw new InputError(unknownOptionMessage(where, name, Object.keys(known)));
  }
}
