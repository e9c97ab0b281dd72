// Writes a run's outputs into a folder: results.md, results.json and one SVG chart per mode.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderJson } from './render/json.js';
import { renderMarkdown } from './render/markdown.js';
import { renderSvgChart } from './render/svg.js';
import type { BenchResult } from './result.js';

/** Returns the paths written. */
export async function writeBenchOutputs(result: BenchResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['results.md', renderMarkdown(result)],
    ['results.json', renderJson(result)],
  ];
  for (const mode of result.modes) {
    const svg = renderSvgChart(result, mode);
    if (svg) files.push([`chart-${mode}.svg`, svg]);
  }
  const written: string[] = [];
  for (const [name, text] of files) {
    const p = join(dir, name);
    await writeFile(p, text);
    written.push(p);
  }
  return written;
}
