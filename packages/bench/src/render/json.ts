// results.json: the BenchResult as is (schema 'albertjs-bench/1').
import type { BenchResult } from '../result.js';

export function renderJson(result: BenchResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
