// Runs a command in the consumer project and keeps everything needed for a clear failure message.
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `$ cmd args` plus both streams, for assertion messages. */
  log: string;
}

/**
 * The test runner's environment without what pnpm sets for its own children (npm_config_*, pnpm_*, the
 * workspace's node_modules/.bin on PATH): a user's shell has none of it.
 */
export function userEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|INIT_CWD$|NODE_OPTIONS$|VITEST|TEST$)/i.test(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((d) => !d.includes('node_modules'))
    .join(':');
  return env;
}

export function run(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number; input?: string },
): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: { ...userEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed: still running after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const log = `$ ${cmd} ${args.map((a) => (/[\s"'[\]]/.test(a) ? JSON.stringify(a) : a)).join(' ')}  (in ${options.cwd})\nexit ${code}\n--- stdout\n${stdout.slice(-4000)}\n--- stderr\n${stderr.slice(-4000)}`;
      done({ code, stdout, stderr, log });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs and throws (with the whole log) unless the exit code is 0. */
export async function runOk(...a: Parameters<typeof run>): Promise<RunResult> {
  const r = await run(...a);
  if (r.code !== 0) throw new Error(`command failed:\n${r.log}`);
  return r;
}
