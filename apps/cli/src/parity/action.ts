// The `albert parity` action: run the checks (or, as a worker, one backend's share), print the table, write
// the requested files and set the exit code.
import { EXIT } from '../exit-codes.js';
import type { RunContext } from '../program.js';
import { formatParityTable, writeJsonReport, writeMatrix } from './output.js';
import { type ParityOptions, runParity, runWorker, selectCases } from './run.js';

export async function parityAction(o: ParityOptions, ctx: RunContext): Promise<void> {
  if (o.worker) {
    await runWorker(o, ctx.io);
    return;
  }
  const report = await runParity(o, ctx.io);
  ctx.io.out(formatParityTable(report, o.failuresOnly));
  if (o.json) {
    writeJsonReport(o.json, report);
    ctx.io.err(`wrote ${o.json}`);
  }
  if (o.matrix !== undefined) {
    const files = writeMatrix(
      o.matrix === true ? 'parity-matrix' : o.matrix,
      report,
      selectCases(report.fixtures, o.cases),
      `albert ${process.argv.slice(2).join(' ')}`,
    );
    ctx.io.err(`wrote ${files.join(', ')}`);
  }
  ctx.exitCode = report.pass ? EXIT.OK : EXIT.CHECK_FAILED;
}
