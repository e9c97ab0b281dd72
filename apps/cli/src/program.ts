// The `albert` command line: commander program, shared options, error → exit code mapping.
import { Command, CommanderError, Option } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerExportOnnx } from './commands/export-onnx.js';
import { registerInfo } from './commands/info.js';
import { registerParity } from './commands/parity.js';
import { registerTasks } from './commands/tasks.js';
import { registerTrain } from './commands/train.js';
import { EXIT, EXIT_HELP, type ExitCode, exitCodeOf, formatError } from './exit-codes.js';
import { type CliIO, processIO } from './io.js';

export const VERSION = '0.1.0';

/** Shared state of one CLI run: where to write and the exit code the actions set. */
export interface RunContext {
  io: CliIO;
  exitCode: ExitCode;
}

export function backendOption(defaultValue?: string): Option {
  const o = new Option('-b, --backend <name>', 'backend: tfjs, onnx or webgpu');
  return defaultValue ? o.default(defaultValue) : o;
}

/** Builds the program; actions write through `ctx.io` and set `ctx.exitCode`. */
export function createProgram(ctx: RunContext): Command {
  const program = new Command('albert')
    .description(
      'ALBERT in JavaScript: inspect models, run tasks, check parity with Hugging Face transformers, benchmark backends',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_HELP)
    .configureOutput({
      writeOut: (s) => ctx.io.out(s.replace(/\n$/, '')),
      writeErr: (s) => ctx.io.err(s.replace(/\n$/, '')),
    })
    .exitOverride();
  registerInfo(program, ctx);
  registerParity(program, ctx);
  registerTasks(program, ctx);
  registerExportOnnx(program, ctx);
  registerBench(program, ctx);
  registerTrain(program, ctx);
  // Every subcommand inherits output, exit override and the exit-code help.
  for (const c of program.commands) {
    c.configureOutput({
      writeOut: (s) => ctx.io.out(s.replace(/\n$/, '')),
      writeErr: (s) => ctx.io.err(s.replace(/\n$/, '')),
    })
      .exitOverride()
      .showHelpAfterError('(run with --help for usage)')
      .addHelpText('after', EXIT_HELP);
  }
  return program;
}

/** Runs the CLI on `argv` (without `node` and the script path); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const ctx: RunContext = { io, exitCode: EXIT.OK };
  const program = createProgram(ctx);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.OK;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version print and exit 0; everything else commander rejects is a usage error.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version')
        return EXIT.OK;
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    io.err(formatError(e));
    if (process.env.ALBERT_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return exitCodeOf(e);
  }
}
