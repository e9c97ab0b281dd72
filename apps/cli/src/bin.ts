#!/usr/bin/env node
// Entry point of the `albert` command.
import { argvFromPipe, commandLineBytes, MAX_INLINE_ARGV_BYTES, relaunch } from './long-argv.js';
import { main } from './program.js';

function start(): Promise<number> {
  const piped = argvFromPipe();
  if (piped) return main(piped);
  // a long command line would crash onnxruntime-node (long-argv.ts): run again with the arguments on a pipe
  if (commandLineBytes() > MAX_INLINE_ARGV_BYTES) return relaunch(process.argv.slice(2));
  return main(process.argv.slice(2));
}

start().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
