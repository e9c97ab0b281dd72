// Runs the fuzz targets (targets.ts) one case at a time and reports each on stdout as a JSON line, so that the
// parent (fuzz.test.ts) can kill this process when a case hangs and knows which case it was:
//   {"t":"start","target":…,"i":…,"bytes":…}
//   {"t":"end","target":…,"i":…,"ms":…,"cpuMs":…,"rssKB":…,"outcome":"ok"|"<ErrorClass>","crash"?:"<name>: <message>"}
// ms: wall time; cpuMs: CPU time of this process during the case (what the budget applies to: a shared machine
// stretches wall time, not CPU time); rssKB: how much the process's peak RSS (getrusage maxrss) grew.
// Usage: node --conditions=@albertjs/source --import tsx fuzz-child.ts <seed> <runs> [target,…]
import fc from 'fast-check';
import { type Input, isDocumented, prepareOnnx, TARGETS } from './targets.js';

const [seedArg = '1', runsArg = '100', only] = process.argv.slice(2);
const seed = Number(seedArg);
const runs = Number(runsArg);
const wanted = only ? new Set(only.split(',')) : undefined;

const line = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
const size = (i: Input) => (typeof i === 'string' ? Buffer.byteLength(i) : i.byteLength);

await prepareOnnx();
for (const target of TARGETS) {
  if (wanted && !wanted.has(target.name)) continue;
  const cases = fc.sample(target.arb, { seed, numRuns: runs });
  for (let i = 0; i < cases.length; i++) {
    const input = cases[i]!;
    line({ t: 'start', target: target.name, i, bytes: size(input) });
    const rss0 = process.resourceUsage().maxRSS;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let outcome = 'ok';
    let crash: string | undefined;
    try {
      target.run(input);
    } catch (e) {
      outcome = (e as Error)?.name ?? typeof e;
      if (!isDocumented(e)) {
        crash = `${outcome}: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
        const head = Buffer.from(typeof input === 'string' ? input.slice(0, 48) : input.subarray(0, 48)).toString(
          'hex',
        );
        crash += ` [input ${size(input)} bytes, starts ${head}]`;
      }
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    line({
      t: 'end',
      target: target.name,
      i,
      ms: Math.round(ms),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      rssKB: process.resourceUsage().maxRSS - rss0,
      outcome,
      ...(crash ? { crash } : {}),
    });
  }
}
line({ t: 'done' });
