// The smoke grid end to end on every backend available here (each in its own process), beside
// transformers.js on the fixtures' ONNX export of the same tiny model, then every output format.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCases, listOnnx } from '@albertjs/parity-tests';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BenchResult,
  type CellResult,
  GRIDS,
  RESULT_SCHEMA,
  renderJson,
  renderMarkdown,
  renderSvgChart,
  runBench,
  writeBenchOutputs,
} from '../src/index.js';

const tinyModel = listCases().find((c) => c.config === 'tiny' && c.head === 'AlbertModel')!.modelPath;
const tinyOnnx = listOnnx().find((o) => o.name === 'tiny__AlbertModel')!.model;
const grid = GRIDS.smoke;

/** Splits a Markdown table row on unescaped pipes. */
function columns(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

function checkCell(c: CellResult | undefined, what: string): void {
  expect(c, `${what}: no cell`).toBeDefined();
  expect(c!.error, `${what}: ${c!.error}`).toBeUndefined();
  expect(c!.iterations).toBe(grid.infer.iterations);
  const s = c!.msPerBatch!;
  expect(s.n).toBe(c!.iterations);
  expect(s.min).toBeGreaterThan(0);
  expect(s.min).toBeLessThanOrEqual(s.median);
  expect(s.median).toBeLessThanOrEqual(s.p90);
  expect(s.p90).toBeLessThanOrEqual(s.max);
  expect(c!.perTokenMs).toBeCloseTo(s.median / c!.seq, 9);
  expect(c!.tokensPerSecond).toBeCloseTo((c!.batch * c!.seq) / (s.median / 1000), 6);
  expect(c!.memory!.rssBaselineBytes).toBeGreaterThan(0);
  expect(c!.memory!.rssPeakBytes).toBeGreaterThanOrEqual(c!.memory!.rssBaselineBytes);
}

describe('smoke grid, isolated backends, transformers.js beside them', () => {
  let result: BenchResult;
  const logs: string[] = [];

  beforeAll(async () => {
    result = await runBench({
      grid: 'smoke',
      model: tinyModel,
      compareOnnx: tinyOnnx,
      compareThreads: 1,
      backendTimeoutSeconds: 150,
      command: 'albert bench --grid smoke (test)',
      log: (l) => logs.push(l),
    });
  }, 600_000);

  it('ran at least one backend and gives the reason for every one skipped', () => {
    const ran = result.backends.filter((b) => b.ran);
    for (const b of result.backends) {
      if (!b.ran) console.info(`bench smoke: ${b.name} skipped: ${b.reason}`);
      expect(b.ran || (b.reason ?? '').length > 0, `${b.name} skipped without a reason`).toBe(true);
      expect(b.failure, `${b.name}: ${b.failure}\n${logs.slice(-20).join('\n')}`).toBeUndefined();
    }
    expect(
      ran.length,
      `no backend ran: ${result.backends.map((b) => `${b.name}: ${b.reason}`).join('; ')}`,
    ).toBeGreaterThanOrEqual(1);
    expect(result.backends.map((b) => b.name)).toEqual(['tfjs', 'onnx', 'webgpu']);
  });

  it('measured every cell of every mode on each backend that ran (training only where gradients() exists)', () => {
    for (const b of result.backends.filter((x) => x.ran)) {
      expect(b.description).toBeTruthy();
      for (const mode of result.modes) {
        const skipped = b.skippedModes?.[mode];
        if (skipped) {
          expect(mode).toBe('train');
          expect(skipped).toMatch(/gradients|loadModel/);
          expect(result.cells.some((c) => c.backend === b.name && c.mode === mode)).toBe(false);
          continue;
        }
        for (const batch of grid[mode].batch) {
          for (const seq of grid[mode].seq) {
            for (const attn of ['eager', 'sdpa'] as const) {
              checkCell(
                result.cells.find(
                  (c) =>
                    c.backend === b.name && c.mode === mode && c.attn === attn && c.batch === batch && c.seq === seq,
                ),
                `${b.name} ${mode} ${attn} ${batch}×${seq}`,
              );
            }
          }
        }
      }
    }
  });

  it('timed transformers.js on the ONNX file beside each backend, on the same cells', () => {
    expect(result.comparison?.error).toBeUndefined();
    expect(result.comparison?.onnx).toBe(tinyOnnx);
    expect(result.comparison?.description).toMatch(/^transformers\.js \d+\.\d+.*, 1 intra-op thread\)$/);
    for (const b of result.backends.filter((x) => x.ran)) {
      for (const batch of grid.infer.batch) {
        for (const seq of grid.infer.seq) {
          checkCell(
            result.cells.find(
              (c) => c.backend === 'transformers.js' && c.pairedWith === b.name && c.batch === batch && c.seq === seq,
            ),
            `transformers.js beside ${b.name} ${batch}×${seq}`,
          );
        }
      }
    }
  });

  it('records the command, versions, Node, CPU and date', () => {
    const env = result.environment;
    expect(env.command).toBe('albert bench --grid smoke (test)');
    expect(env.node).toBe(process.version);
    expect(env.cpu.cores).toBeGreaterThan(0);
    expect(env.cpu.model.length).toBeGreaterThan(0);
    expect(Date.parse(env.date)).not.toBeNaN();
    expect(env.loadAverage).toHaveLength(3);
    expect(env.versions['@albertjs/bench']).toMatch(/^\d+\.\d+\.\d+/);
    expect(env.versions['@albertjs/core']).toMatch(/^\d+\.\d+\.\d+/);
    expect(env.versions['@huggingface/transformers']).toMatch(/^\d+\.\d+\.\d+/);
    for (const b of result.backends.filter((x) => x.ran))
      expect(env.versions[`@albertjs/${b.name}`]).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.model.shape.hidden_size).toBe(32);
    expect(result.model.parameters.infer).toBeGreaterThan(0);
  });

  it('renders well-formed Markdown tables in the seed columns, one row per cell', () => {
    const md = renderMarkdown(result);
    expect(md).toContain('albert bench --grid smoke (test)');
    expect(md).toContain(result.environment.node);
    expect(md).toContain(result.environment.cpu.model);
    const lines = md.split('\n');
    const tables: string[][] = [];
    let cur: string[] | undefined;
    for (const l of lines) {
      if (l.startsWith('|')) {
        cur ??= [];
        cur.push(l);
      } else if (cur) {
        tables.push(cur);
        cur = undefined;
      }
    }
    const ranModes = result.backends
      .filter((b) => b.ran)
      .flatMap((b) => result.modes.filter((m) => !b.skippedModes?.[m]).map((m) => ({ b: b.name, m })));
    expect(tables.length).toBe(ranModes.length + 1); // + the transformers.js comparison
    for (const t of tables) {
      const width = columns(t[0]!).length;
      expect(t[1]).toBe(`|${Array(width).fill('---').join('|')}|`);
      for (const row of t.slice(2)) expect(columns(row).length, row).toBe(width);
    }
    const infer = tables.find((t) => t[0]!.includes('Per token latency eager (ms)'))!;
    expect(columns(infer[0]!).slice(0, 8)).toEqual([
      'batch_size',
      'seq_len',
      'Per token latency eager (ms)',
      'Per token latency SDPA (ms)',
      'Speedup (%)',
      'Mem eager (MB)',
      'Mem SDPA (MB)',
      'Mem saved (%)',
    ]);
    expect(infer.length - 2).toBe(grid.infer.batch.length * grid.infer.seq.length);
    const cmp = tables[tables.length - 1]!;
    expect(cmp[0]).toContain('transformers.js (ms/batch)');
    expect(cmp.length - 2).toBe(
      result.backends.filter((b) => b.ran).length * grid.infer.batch.length * grid.infer.seq.length * 2,
    );
  });

  it('marks a failed cell and escapes its message, keeping every table well-formed', () => {
    const broken = structuredClone(result);
    const victim = broken.cells.find(
      (c) => c.mode === 'infer' && c.backend !== 'transformers.js' && c.attn === 'sdpa',
    )!;
    const { msPerBatch: _m, perTokenMs: _p, tokensPerSecond: _t, memory: _mem, ...rest } = victim;
    broken.cells[broken.cells.indexOf(victim)] = { ...rest, iterations: 0, error: 'BackendError: shape [1|2] <bad>' };
    const md = renderMarkdown(broken);
    expect(md).toContain(`Failed: sdpa ${victim.batch}×${victim.seq}: BackendError: shape [1\\|2] <bad>`);
    for (const row of md.split('\n').filter((l) => l.startsWith('|'))) expect(row.endsWith('|')).toBe(true);
    const table = md.split('\n').filter((l) => l.startsWith(`|${victim.batch}|${victim.seq}|`));
    expect(table.some((row) => columns(row)[3] === 'failed')).toBe(true);
    expect(XMLValidator.validate(renderSvgChart(broken, 'infer')!)).toBe(true);
  });

  it('renders JSON that parses back to the result', () => {
    const back = JSON.parse(renderJson(result)) as BenchResult;
    expect(back.schema).toBe(RESULT_SCHEMA);
    expect(back).toEqual(JSON.parse(JSON.stringify(result)));
    expect(back.cells.length).toBe(result.cells.length);
  });

  it('renders well-formed SVG charts with a line per backend × attention per batch panel', () => {
    for (const mode of result.modes) {
      const svg = renderSvgChart(result, mode);
      const timed = result.cells.filter((c) => c.mode === mode && c.msPerBatch);
      if (timed.length === 0) {
        expect(svg).toBeUndefined();
        continue;
      }
      expect(XMLValidator.validate(svg!)).toBe(true);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const series = new Set(
        timed.map((c) => (c.pairedWith ? `${c.backend} beside ${c.pairedWith}` : `${c.backend} ${c.attn}`)),
      );
      const polylines = svg!.match(/<polyline /g) ?? [];
      expect(polylines.length).toBe(series.size * grid[mode].batch.length);
      expect((svg!.match(/<circle /g) ?? []).length).toBe(timed.length);
      for (const s of series) expect(svg).toContain(`>${s}</text>`);
    }
  });

  it('writes results.md, results.json and a chart per mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-test-'));
    try {
      const files = await writeBenchOutputs(result, dir);
      const names = files.map((f) => f.slice(dir.length + 1)).sort();
      expect(names).toEqual(
        [
          'results.json',
          'results.md',
          ...result.modes.filter((m) => renderSvgChart(result, m)).map((m) => `chart-${m}.svg`),
        ].sort(),
      );
      expect(await readFile(join(dir, 'results.md'), 'utf8')).toBe(renderMarkdown(result));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
