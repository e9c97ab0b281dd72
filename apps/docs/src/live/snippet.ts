// The code a page shows is the code it runs: a snippet is written out as an ES module (bare imports of
// @albertjs/* resolved by the page's import map, see vite.config.ts), shown, and run verbatim with console.log /
// console.warn captured for the page to display.

export const BACKEND_CHOICES = [
  { id: 'webgpu', label: 'WebGPU (@albertjs/webgpu)' },
  { id: 'onnx', label: 'ONNX Runtime Web (@albertjs/onnx)' },
  { id: 'tfjs', label: 'TF.js wasm (@albertjs/tfjs)' },
] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number]['id'];

/** The import and the createBackend() call of a backend in a browser; `root`: the site's path ('/', '/site/'). */
export function backendCode(choice: BackendChoice, root: string): { importLine: string; create: string } {
  const importLine = `import { createBackend } from '@albertjs/${choice}';`;
  switch (choice) {
    case 'webgpu':
      return { importLine, create: 'await createBackend()' }; // navigator.gpu
    case 'onnx':
      return { importLine, create: 'await createBackend()' }; // onnxruntime-web in browsers
    case 'tfjs':
      // tfjs-backend-wasm fetches its .wasm binaries from wasmPaths (served next to the pages)
      return {
        importLine,
        create: `await createBackend({ runtime: 'wasm', wasmPaths: ${js(`${root}tfjs-wasm/`)} })`,
      };
  }
}

/** A JavaScript literal of `v`, written as people write it (single quotes, unquoted keys). */
export function js(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(v)) return `[${v.map(js).join(', ')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : js(k)}: ${js(x)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(v);
}

export interface SnippetRun {
  /** The arguments of every console.log call, in order. */
  logs: unknown[][];
  /** The console.warn messages (e.g. transformers' "Some weights … newly initialized"). */
  warnings: string[];
  ms: number;
}

let running: Promise<unknown> = Promise.resolve();

/** Runs `code` as a module (one run at a time: console is patched while it runs). */
export function runSnippet(code: string): Promise<SnippetRun> {
  const run = running.then(async () => {
    const logs: unknown[][] = [];
    const warnings: string[] = [];
    const { log, warn } = console;
    console.log = (...a: unknown[]) => {
      logs.push(a);
      log(...a);
    };
    console.warn = (...a: unknown[]) => {
      warnings.push(a.map(String).join(' '));
      warn(...a);
    };
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const t0 = performance.now();
    try {
      await import(/* @vite-ignore */ url);
      return { logs, warnings, ms: performance.now() - t0 };
    } finally {
      URL.revokeObjectURL(url);
      console.log = log;
      console.warn = warn;
    }
  });
  running = run.catch(() => undefined);
  return run;
}
