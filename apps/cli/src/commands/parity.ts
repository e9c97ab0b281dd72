// `albert parity` on the command line. The checks live in src/parity/ and need @albertjs/parity-tests, the
// repository's private package of Hugging Face reference fixtures (not published to npm): both are imported only
// when the command runs, so the rest of the CLI works without it and `albert parity` then exits with
// MISSING_PACKAGE saying to run it from a clone of the repository.
import { type Command, Option } from 'commander';
import { importRequired } from '../backends.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import type { ParityOptions, ParityReport } from '../parity/run.js';
import type { RunContext } from '../program.js';

export type { ParityOptions, ParityReport } from '../parity/run.js';

/** How to get @albertjs/parity-tests: it is private to the repository (30 MB of reference fixtures). */
export const PARITY_FROM_A_CLONE =
  "it is not published to npm (it is the albertjs repository's reference fixtures): run albert parity in a clone of https://github.com/albertjs/albertjs (pnpm install && pnpm albert parity)";

/** Loads the parity checks, or fails with MISSING_PACKAGE when @albertjs/parity-tests is not installed. */
async function loadParity(): Promise<typeof import('../parity/action.js') & typeof import('../parity/run.js')> {
  await importRequired('@albertjs/parity-tests', 'albert parity needs', PARITY_FROM_A_CLONE);
  const [action, run] = await Promise.all([import('../parity/action.js'), import('../parity/run.js')]);
  return { ...action, ...run };
}

/** Runs everything `albert parity` checks and returns the report (no printing besides progress). */
export async function runParity(opts: ParityOptions, io: CliIO): Promise<ParityReport> {
  return (await loadParity()).runParity(opts, io);
}

export function registerParity(program: Command, ctx: RunContext): void {
  program
    .command('parity')
    .description(
      'check every backend against the Hugging Face reference fixtures (model cases, tokenizers, checkpoint formats)',
    )
    .option(
      '-f, --fixtures <dir>',
      'fixtures folder (manifest.json, cases/, models/, checkpoints/, tokenizers/); default: the fixtures of @albertjs/parity-tests',
    )
    .option(
      '-b, --backend <names>',
      'tfjs, onnx, webgpu, a comma list, all (the installed ones) or none (core and tokenizer checks only)',
      'all',
    )
    .option('--json <file>', 'write the full report as JSON')
    .option(
      '--matrix [out-prefix]',
      'write <prefix>.md, <prefix>.html and <prefix>.json (default prefix: parity-matrix; heads × variants × backends) and cross-check the backends on a seeded random model',
    )
    .option('--cases <regex>', 'only the cases whose id (<config>__<head>__<variant>) matches')
    .option('--no-grads', 'skip gradient comparisons')
    .option('--no-tokenizers', 'skip the tokenizer cases')
    .option('--cross-config <preset|config.json>', 'model shape of the cross-backend check', 'albert-base-v2')
    .option('--cross-batch <n>', 'batch size of the cross-backend check', intArg, 2)
    .option('--cross-seq <n>', 'sequence length of the cross-backend check', intArg, 128)
    .option('--failures-only', 'print only failing rows and the summary')
    .option('--case-timeout <seconds>', 'fail a case that takes longer (a stalled device)', intArg, 120)
    .option('--no-isolate', 'run the backends in this process (a native crash then ends the run)')
    .addOption(new Option('--no-core', 'skip the core-only checks').hideHelp())
    .addOption(new Option('--worker <file>', 'internal: run one backend and write its results to <file>').hideHelp())
    .addOption(new Option('--worker-cross <config>', 'internal: also run the cross-check model').hideHelp())
    .action(async (o: ParityOptions) => {
      const { parityAction } = await loadParity();
      await parityAction(o, ctx);
    });
}

export function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliError(`expected a positive integer, got ${JSON.stringify(v)}`, EXIT.USAGE);
  return n;
}
