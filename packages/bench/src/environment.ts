// What a result was measured with: the exact command, package versions, Node, CPU and date.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchEnvironment {
  command: string;
  /** ISO 8601, UTC. */
  date: string;
  node: string;
  os: string;
  cpu: { model: string; cores: number; flags: string[] };
  totalMemoryBytes: number;
  /** 1, 5 and 15 minute load averages when the run ended (a busy machine inflates every time). */
  loadAverage: number[];
  /** name → version of albertjs packages and the runtimes under them. */
  versions: Record<string, string>;
}

/** CPU features that decide fp32/int8/bf16 speed, as /proc/cpuinfo names them. */
const NOTABLE_FLAGS = ['avx2', 'fma', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'amx_bf16', 'amx_int8', 'neon', 'asimd'];

function cpuFlags(): string[] {
  try {
    const m = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    const have = new Set((m?.[1] ?? '').split(/\s+/));
    return NOTABLE_FLAGS.filter((f) => have.has(f));
  } catch {
    return [];
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** The folder of package `name` as Node would find it from `fromDir` (symlinks resolved), or undefined. */
export function findPackageDir(name: string, fromDir: string = HERE): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readPackageJson(dir: string): { name?: string; version?: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** Version of `name` resolved from `fromDir`, or undefined when it is not installed. */
export function packageVersion(name: string, fromDir: string = HERE): string | undefined {
  const dir = findPackageDir(name, fromDir);
  return dir ? readPackageJson(dir).version : undefined;
}

/** A package whose version the output records, and which of its dependencies to record with it. */
export interface VersionRequest {
  name: string;
  /** 'all': its non-albertjs runtime dependencies (what a backend wraps); or the names to record. */
  deps?: 'all' | readonly string[];
}

/** Versions of each requested package and of the dependencies asked for, resolved as Node would. */
export function collectVersions(requests: readonly VersionRequest[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, deps } of requests) {
    const dir = findPackageDir(name);
    if (!dir) continue;
    const pj = readPackageJson(dir);
    if (pj.version) out[name] = pj.version;
    const wanted =
      deps === 'all' ? Object.keys(pj.dependencies ?? {}).filter((d) => !d.startsWith('@albertjs/')) : (deps ?? []);
    for (const dep of wanted) {
      const v = packageVersion(dep, dir);
      if (v) out[dep] = v;
    }
  }
  return out;
}

/** Quotes an argv the way a POSIX shell would accept it back. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function describeEnvironment(
  command: string,
  packages: readonly VersionRequest[],
  now: Date = new Date(),
): BenchEnvironment {
  const cs = cpus();
  return {
    command,
    date: now.toISOString(),
    node: process.version,
    os: `${platform()} ${release()} ${process.arch}`,
    cpu: { model: cs[0]?.model.trim() ?? 'unknown', cores: cs.length, flags: cpuFlags() },
    totalMemoryBytes: totalmem(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    versions: collectVersions(packages),
  };
}
