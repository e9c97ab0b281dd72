// Runs the CLI in-process and captures its output.
import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FIXTURES_DIR } from '@albertjs/parity-tests';
import { bufferIO, main } from '../src/index.js';

export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string; progress: string[] }> {
  const io = bufferIO();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n'), progress: io.progressEvents };
}

export const FIXTURES = DEFAULT_FIXTURES_DIR;
export const model = (config: string, head: string) => join(FIXTURES, 'models', config, head);

/** A scratch copy of (parts of) the fixtures folder that a test may corrupt. */
export function copyFixtures(parts: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'albert-cli-'));
  for (const p of parts) cpSync(join(FIXTURES, p), join(dir, p), { recursive: true });
  return dir;
}

/** A Hub-style model folder: a fixture model's config + weights and the spm-en-1000 tokenizer (same vocab). */
export function taskModel(config: string, head: string): string {
  const dir = mkdtempSync(join(tmpdir(), `albert-task-${head}-`));
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(model(config, head), f), join(dir, f));
  for (const f of ['tokenizer.json', 'spiece.model', 'tokenizer_config.json'])
    copyFileSync(join(FIXTURES, 'tokenizers/spm-en-1000', f), join(dir, f));
  return dir;
}
