#!/usr/bin/env node
// `node dist/main.js [train|infer|both] --backend … --model … --dtype … --grid … [--out dir]`: runs the
// benchmark, prints the Markdown (or JSON) report and, with --out, writes results.md/.json and the charts.
import { join, relative } from 'node:path';
import { shellJoin } from './environment.js';
import { parseBenchArgs } from './options.js';
import { renderJson } from './render/json.js';
import { renderMarkdown } from './render/markdown.js';
import { runBench } from './run.js';
import { writeBenchOutputs } from './write.js';

async function main(argv: string[]): Promise<number> {
  const { options, out, format } = parseBenchArgs(argv);
  // The exact command: node, its flags (loaders, conditions), this script and its arguments.
  options.command = shellJoin([
    'node',
    ...process.execArgv,
    relative(process.cwd(), process.argv[1] ?? 'main.js'),
    ...argv,
  ]);
  options.log = (line) => process.stderr.write(`${line}\n`);
  const result = await runBench(options);
  process.stdout.write(format === 'json' ? renderJson(result) : renderMarkdown(result));
  if (out) {
    const stamp = result.environment.date.replace(/[:.]/g, '-');
    const dir = join(out, `${result.grid.name}-${stamp}`);
    for (const p of await writeBenchOutputs(result, dir)) process.stderr.write(`wrote ${p}\n`);
  }
  if (!result.backends.some((b) => b.ran)) {
    process.stderr.write('no backend ran (see the skip reasons above)\n');
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    process.exit(2);
  },
);
