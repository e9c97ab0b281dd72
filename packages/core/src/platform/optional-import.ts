// Telling "this optional package is not installed" from "it is installed but broken" after a failed `import()`.
// (The import itself stays in the package that declares the optional dependency: resolution starts from the
// importing file, so a helper here could not see packages declared by the CLI or the pipelines under pnpm.)

/** Whether an import failure means "this package is not there" (rather than "it is there but broken"). */
export function isNotInstalled(e: unknown, specifier: string): boolean {
  const code = (e as { code?: unknown }).code;
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
    return msg.includes(specifier) || msg.includes(specifier.replace('@albertjs/', 'packages/'));
  }
  // vite / vitest: "Failed to load url …/packages/tfjs/src/index.ts", "Cannot find module '@albertjs/tfjs'" or
  // 'Could not resolve "@tensorflow/tfjs-node" imported by "@albertjs/tfjs". Is it installed?';
  // browsers: "Failed to resolve module specifier '@albertjs/tfjs'".
  return (
    /Failed to load url|Cannot find (module|package)|Could not resolve|Failed to resolve module specifier/.test(msg) &&
    (msg.includes(specifier) || msg.includes(`/${specifier.slice(9)}/src/index`))
  );
}
