// Module resolution hooks that make @albertjs/cli's optional peer dependencies look uninstalled: resolving
// them fails exactly as Node fails for a package missing from node_modules (ERR_MODULE_NOT_FOUND).
const MISSING = new Set(['@albertjs/parity-tests', '@albertjs/bench']);

export async function resolve(specifier, context, nextResolve) {
  if (MISSING.has(specifier)) {
    const e = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL ?? 'the command line'}`);
    e.code = 'ERR_MODULE_NOT_FOUND';
    throw e;
  }
  return nextResolve(specifier, context);
}
