// The seed document's tables in Markdown (same columns, plus tokens/s, spread and run counts),
// one training and one inference table per backend, then the transformers.js comparison.
import { BENCH_MODES, type BenchMode, GRIDS, type Grid } from '../grids.js';
import type { BenchResult, CellResult } from '../result.js';
import { percentGain } from '../stats.js';
import { mb, mdCell, num, pct, rate } from './format.js';

/** The memory figure a table shows for a cell: the backend's own when it has one, else peak RSS. */
export function cellMemoryBytes(c: CellResult | undefined): number | undefined {
  return c?.memory?.backendPeakBytes ?? c?.memory?.rssPeakBytes;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `|${cells.map(mdCell).join('|')}|`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function find(
  cells: CellResult[],
  backend: string,
  mode: BenchMode,
  attn: CellResult['attn'],
  batch: number,
  seq: number,
): CellResult | undefined {
  return cells.find(
    (c) => c.backend === backend && c.mode === mode && c.attn === attn && c.batch === batch && c.seq === seq,
  );
}

function spread(c: CellResult | undefined, scale: number): string {
  if (!c?.msPerBatch) return c?.error ? 'failed' : '—';
  return `${num(c.msPerBatch.min * scale)}–${num(c.msPerBatch.p90 * scale)}`;
}

function runs(a: CellResult | undefined, b: CellResult | undefined): string {
  return [a, b].map((c) => (c ? String(c.iterations) : '—')).join('/');
}

function modeTable(result: BenchResult, backend: string, mode: BenchMode): string {
  const g = result.grid[mode];
  const [base, cand] = ['eager', 'sdpa'] as const;
  const rows: string[][] = [];
  const errors: string[] = [];
  for (const batch of g.batch) {
    for (const seq of g.seq) {
      const e = find(result.cells, backend, mode, base, batch, seq);
      const s = find(result.cells, backend, mode, cand, batch, seq);
      for (const c of [e, s]) if (c?.error) errors.push(`${c.attn} ${batch}×${seq}: ${c.error}`);
      const time = (c: CellResult | undefined) =>
        mode === 'train' ? c?.msPerBatch && c.msPerBatch.median / 1000 : c?.perTokenMs;
      const scale = mode === 'train' ? 1 / 1000 : 1;
      rows.push([
        String(batch),
        String(seq),
        e?.error ? 'failed' : num(time(e)),
        s?.error ? 'failed' : num(time(s)),
        pct(percentGain(time(e), time(s))),
        mb(cellMemoryBytes(e)),
        mb(cellMemoryBytes(s)),
        pct(percentGain(cellMemoryBytes(e), cellMemoryBytes(s))),
        rate(e?.tokensPerSecond),
        rate(s?.tokensPerSecond),
        spread(e, scale),
        spread(s, scale),
        runs(e, s),
      ]);
    }
  }
  const header =
    mode === 'train'
      ? [
          'batch_size',
          'seq_len',
          'Time per batch (eager - s)',
          'Time per batch (sdpa - s)',
          'Speedup (%)',
          'Eager peak mem (MB)',
          'sdpa peak mem (MB)',
          'Mem saving (%)',
          'Tokens/s eager',
          'Tokens/s sdpa',
          'Eager min–p90 (s)',
          'sdpa min–p90 (s)',
          'Runs eager/sdpa',
        ]
      : [
          'batch_size',
          'seq_len',
          'Per token latency eager (ms)',
          'Per token latency SDPA (ms)',
          'Speedup (%)',
          'Mem eager (MB)',
          'Mem SDPA (MB)',
          'Mem saved (%)',
          'Tokens/s eager',
          'Tokens/s SDPA',
          'Eager min–p90 (ms/batch)',
          'SDPA min–p90 (ms/batch)',
          'Runs eager/SDPA',
        ];
  const memSources = new Set(
    result.cells
      .filter((c) => c.backend === backend && c.mode === mode && c.memory)
      .map((c) => c.memory!.backendSource ?? `peak RSS (${result.rssMethod ?? 'sampled'})`),
  );
  const notes = [`Memory: ${[...memSources].join(', ') || '—'}.`];
  if (errors.length) notes.push(...errors.map((e) => `Failed: ${mdCell(e)}`));
  return `${table(header, rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}`;
}

function comparisonTable(result: BenchResult): string {
  const g = result.grid.infer;
  const rows: string[][] = [];
  const tjsCells = result.cells.filter((c) => c.backend === 'transformers.js');
  const ours = [...new Set(tjsCells.map((c) => c.pairedWith).filter((b): b is string => b !== undefined))];
  for (const backend of ours) {
    for (const batch of g.batch) {
      for (const seq of g.seq) {
        const t = tjsCells.find((c) => c.pairedWith === backend && c.batch === batch && c.seq === seq);
        for (const attn of result.attn) {
          const c = find(result.cells, backend, 'infer', attn, batch, seq);
          const oursMs = c?.msPerBatch?.median;
          const theirsMs = t?.msPerBatch?.median;
          rows.push([
            String(batch),
            String(seq),
            backend,
            attn,
            c?.error ? 'failed' : num(oursMs),
            t?.error ? 'failed' : num(theirsMs),
            rate(c?.tokensPerSecond),
            rate(t?.tokensPerSecond),
            oursMs !== undefined && theirsMs !== undefined ? num(theirsMs / oursMs) : '—',
            pct(percentGain(theirsMs, oursMs)),
          ]);
        }
      }
    }
  }
  const header = [
    'batch_size',
    'seq_len',
    'backend',
    'attn',
    'albertjs (ms/batch)',
    'transformers.js (ms/batch)',
    'Tokens/s albertjs',
    'Tokens/s transformers.js',
    'transformers.js time / albertjs time',
    'Speedup vs transformers.js (%)',
  ];
  return table(header, rows);
}

function headerBlock(result: BenchResult): string {
  const env = result.environment;
  const m = result.model;
  const s = m.shape;
  const versions = Object.entries(env.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `- Command: \`${env.command}\``,
    `- Date: ${env.date} · Node ${env.node} · ${env.os}`,
    `- CPU: ${env.cpu.model} × ${env.cpu.cores}${env.cpu.flags.length ? ` (${env.cpu.flags.join(', ')})` : ''} · ${(env.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB RAM · load average ${env.loadAverage.join(' / ')} (1/5/15 min, at the end)`,
    `- Versions: ${versions}`,
    `- Model: ${m.name} (${m.source}: E ${s.embedding_size}, H ${s.hidden_size}, ${s.num_hidden_layers} layers, ${s.num_attention_heads} heads, I ${s.intermediate_size}, vocab ${s.vocab_size}, ${s.hidden_act}); weights ${m.weights}`,
    `- ${result.isolated ? 'Each backend ran in its own process' : 'All backends ran in this one process'}; dtype ${result.dtype}; heads: ${result.modes.map((mode) => `${mode} ${result.heads[mode]}`).join(', ')}; grid ${result.grid.name}${result.maxCellSeconds !== undefined ? `; each cell stops after ${result.maxCellSeconds} s of timed runs (≥ 3 runs)` : ''}`,
    "- Times are medians of the timed runs (after warm-up), min–p90 their spread; per-token latency = ms per batch / seq_len (the seed's definition); tokens/s = batch × seq / s per batch. Speedup and memory saving = (eager / sdpa − 1) × 100, as the seed. MB = 10⁶ bytes.",
  ];
  const note = runsOverrideNote(result.grid);
  if (note) lines.push(`- ${note}`);
  for (const b of result.backends) {
    if (b.ran) {
      lines.push(`- Backend ${b.name}: ${b.description ?? ''}`);
      for (const [mode, why] of Object.entries(b.skippedModes ?? {}))
        lines.push(`- Backend ${b.name} ${mode}: skipped: ${why}`);
    } else lines.push(`- Backend ${b.name}: skipped: ${b.reason ?? ''}`);
    if (b.failure) lines.push(`- Backend ${b.name}: stopped early: ${b.failure}`);
  }
  if (result.comparison) {
    const c = result.comparison;
    lines.push(
      c.error
        ? `- transformers.js comparison on ${c.onnx}: failed: ${c.error}`
        : `- Comparison: ${c.description} on ${c.onnx} (config from ${c.configSource}), timed right after each albertjs cell in the same process on the same inputs`,
    );
  }
  return lines.join('\n');
}

/**
 * Says when a named grid ran with fewer (or more) warm-up or timed runs than it defines (`--warmup`,
 * `--iterations`), e.g. the seed's 100 training iterations cut to what fits a slow backend.
 */
export function runsOverrideNote(grid: Grid): string | undefined {
  const base = (GRIDS as Record<string, Grid | undefined>)[grid.name.replace(/-custom$/, '')];
  if (!base) return undefined;
  const parts: string[] = [];
  for (const mode of BENCH_MODES) {
    const g = grid[mode];
    const b = base[mode];
    if (g.warmup !== b.warmup || g.iterations !== b.iterations)
      parts.push(
        `${mode} ${g.warmup} warm-up + ${g.iterations} timed (the ${base.name} grid: ${b.warmup} + ${b.iterations})`,
      );
  }
  return parts.length ? `Runs per cell overridden (--warmup / --iterations): ${parts.join('; ')}` : undefined;
}

/** The whole report: context, then per backend the training and inference tables, then the comparison. */
export function renderMarkdown(result: BenchResult): string {
  const parts = [
    `# albertjs bench: ${result.grid.name} grid, ${result.model.name}, ${result.dtype}`,
    headerBlock(result),
  ];
  for (const b of result.backends.filter((x) => x.ran)) {
    for (const mode of result.modes) {
      if (b.skippedModes?.[mode]) continue;
      const g = result.grid[mode];
      const title =
        mode === 'train'
          ? `## ${b.name}: training (${result.heads.train}, one gradients() call per iteration; ${g.warmup} warm-up, up to ${g.iterations} iterations)`
          : `## ${b.name}: inference (${result.heads.infer} forward; ${g.warmup} warm-up, up to ${g.iterations} batches)`;
      parts.push(title, modeTable(result, b.name, mode));
    }
  }
  if (result.comparison && !result.comparison.error) {
    parts.push('## Side by side with transformers.js (inference, same process, same inputs)', comparisonTable(result));
  }
  return `${parts.join('\n\n')}\n`;
}
