// Property-based fuzzing of every file reader (targets.ts) in a child process (fuzz-child.ts): each case must end
// in a result or a documented error class (never a crash), within a time budget (a case that does not end is
// killed and reported as a hang), and without growing the process's peak RSS by more than a memory budget (no
// allocation beyond what the file declares: the inputs are at most a few hundred KB). Seeded: a failure names the
// seed and case index to replay with `node --conditions=@albertjs/source --import tsx fuzz-child.ts <seed> <runs> <target>`.
// ALBERT_FUZZ_SEED / ALBERT_FUZZ_RUNS change the seed and the cases per target; ALBERT_FUZZ_REPORT=<file> writes the
// summary table (docs/hostile-inputs.md quotes one).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TARGET_NAMES } from './target-names.js';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const SEED = Number(process.env.ALBERT_FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.ALBERT_FUZZ_RUNS ?? 150);
/** CPU time one case may take (CPU, not wall time: a loaded machine stretches wall time ten-fold). */
const CASE_BUDGET_MS = 5_000;
/** A case with no answer after this much CPU time (or HANG_WALL_MS of wall time) is killed and reported as a hang. */
const HANG_CPU_MS = 30_000;
const HANG_WALL_MS = 300_000;
/** Peak-RSS growth one case may cause. */
const CASE_RSS_BUDGET_KB = 64 * 1024;

interface End {
  t: 'end';
  target: string;
  i: number;
  ms: number;
  cpuMs: number;
  rssKB: number;
  outcome: string;
  crash?: string;
}

interface ChildRun {
  ends: End[];
  /** The case that never ended, when the child was killed or died. */
  unfinished?: { target: string; i: number; bytes: number };
  exit: string;
  stderr: string;
}

function runChild(): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@albertjs/source',
        '--import',
        tsx,
        '--max-old-space-size=1024',
        join(here, 'fuzz-child.ts'),
        String(SEED),
        String(RUNS),
      ],
      { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const ends: End[] = [];
    let open: ChildRun['unfinished'];
    let buf = '';
    let stderr = '';
    // the watchdog: the child's CPU time (Linux /proc/<pid>/stat utime + stime, 100 ticks/s) and wall time since its last line
    const cpuMs = (): number | undefined => {
      try {
        const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        return undefined;
      }
    };
    let since = { wall: Date.now(), cpu: cpuMs() };
    const arm = () => {
      since = { wall: Date.now(), cpu: cpuMs() };
    };
    const watchdog = setInterval(() => {
      const cpu = cpuMs();
      const busy = cpu !== undefined && since.cpu !== undefined ? cpu - since.cpu : 0;
      if (busy > HANG_CPU_MS || Date.now() - since.wall > HANG_WALL_MS) child.kill('SIGKILL');
    }, 2_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const msg = JSON.parse(buf.slice(0, nl)) as { t: string; target?: string; i?: number; bytes?: number };
        buf = buf.slice(nl + 1);
        if (msg.t === 'start') open = { target: msg.target!, i: msg.i!, bytes: msg.bytes! };
        else if (msg.t === 'end') {
          ends.push(msg as unknown as End);
          open = undefined;
        }
        arm();
        nl = buf.indexOf('\n');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      resolve({
        ends,
        ...(open ? { unfinished: open } : {}),
        exit: signal ?? String(code),
        stderr: stderr.slice(-2000),
      });
    });
  });
}

function summary(r: ChildRun): string {
  const rows = TARGET_NAMES.map((name) => {
    const es = r.ends.filter((e) => e.target === name);
    const outcomes = new Map<string, number>();
    for (const e of es) outcomes.set(e.outcome, (outcomes.get(e.outcome) ?? 0) + 1);
    const oc = [...outcomes].map(([k, n]) => `${k} ${n}`).join(', ');
    const crashes = es.filter((e) => e.crash).length;
    const slowest = Math.max(0, ...es.map((e) => e.cpuMs));
    const rss = Math.max(0, ...es.map((e) => e.rssKB));
    return `| ${name} | ${es.length} | ${oc} | ${crashes} | ${slowest} | ${(rss / 1024).toFixed(1)} |`;
  });
  return [
    `Seed ${SEED}, ${RUNS} cases per reader; exit of the fuzz process: ${r.exit}.`,
    '',
    '| reader | cases | outcomes | crashes | slowest case (CPU ms) | largest peak-RSS growth in one case (MB) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

describe('fuzzing the file readers (seeded, one child process, a time and memory budget per case)', () => {
  let run: ChildRun;
  beforeAll(async () => {
    run = await runChild();
    if (process.env.ALBERT_FUZZ_REPORT) writeFileSync(process.env.ALBERT_FUZZ_REPORT, `${summary(run)}\n`);
  }, 600_000);

  it('the fuzz process ran every case to the end', () => {
    const u = run.unfinished;
    expect(
      u,
      u &&
        `case ${u.i} of ${u.target} (${u.bytes} bytes, seed ${SEED}) never ended: hang or native crash (${run.exit})`,
    ).toBeUndefined();
    expect(run.exit, run.stderr).toBe('0');
  });

  it.each(TARGET_NAMES)('%s: no crash, no case over the time or memory budget', (name) => {
    const es = run.ends.filter((e) => e.target === name);
    expect(es.length).toBe(RUNS);
    const crashes = es.filter((e) => e.crash).map((e) => `#${e.i}: ${e.crash}`);
    expect(crashes, `seed ${SEED}`).toEqual([]);
    const slow = es.filter((e) => e.cpuMs > CASE_BUDGET_MS).map((e) => `#${e.i}: ${e.cpuMs} ms CPU (${e.ms} ms wall)`);
    expect(slow, `seed ${SEED}`).toEqual([]);
    const heavy = es.filter((e) => e.rssKB > CASE_RSS_BUDGET_KB).map((e) => `#${e.i}: +${e.rssKB} KB peak RSS`);
    expect(heavy, `seed ${SEED}`).toEqual([]);
    // both sides of every reader are exercised: some inputs are refused and (except pure-garbage readers) some read
    expect(es.some((e) => e.outcome !== 'ok')).toBe(true);
  });
});
