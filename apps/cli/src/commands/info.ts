// `albert info <model>`: config, parameter count (shared layers counted once), loadable heads, load report.
import {
  type AlbertConfig,
  bindWeights,
  countParameters,
  HEAD_NAMES,
  type HeadName,
  isHeadName,
  type LoadReport,
  type ParameterCount,
  type Tensor,
} from '@albertjs/core';
import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { type HubFlags, loadRawModel, presetConfig } from '../model.js';
import type { RunContext } from '../program.js';
import { loadPipelines } from './tasks.js';

export interface HeadAvailability {
  head: HeadName;
  loadable: boolean;
  missing: number;
  unexpected: number;
}

export interface ModelInfo {
  source: string;
  files: string[];
  config: Record<string, unknown>;
  architecture: HeadName;
  parameters: ParameterCount;
  /** Parameters actually stored in the checkpoint for `architecture` (tied tensors once). */
  checkpointParameters?: number;
  heads?: HeadAvailability[];
  loadReport?: LoadReport;
}

/** The head a checkpoint was saved from: config.architectures[0], else the loadable head that leaves the fewest keys unused. */
export function pickArchitecture(config: AlbertConfig, heads: HeadAvailability[]): HeadName {
  const arch = config.architectures?.[0];
  if (arch && isHeadName(arch)) return arch;
  const loadable = heads.filter((h) => h.loadable).sort((a, b) => a.unexpected - b.unexpected);
  return loadable[0]?.head ?? 'AlbertModel';
}

function availability(config: AlbertConfig, tensors: Map<string, Tensor>): HeadAvailability[] {
  return HEAD_NAMES.map((head) => {
    try {
      const { report } = bindWeights(head, config, tensors, { allowMissing: true });
      return {
        head,
        loadable: report.missing.length === 0 && report.mismatched.length === 0,
        missing: report.missing.length,
        unexpected: report.unexpected.length,
      };
    } catch {
      return { head, loadable: false, missing: Number.NaN, unexpected: Number.NaN };
    }
  });
}

/** Everything `albert info` prints, for a model folder (or a preset's config without weights). */
export async function describeModel(
  spec: string,
  io: CliIO,
  opts: { preset?: boolean; head?: string } & HubFlags = {},
): Promise<ModelInfo> {
  if (opts.preset) {
    const config = presetConfig(spec);
    const architecture = opts.head && isHeadName(opts.head) ? opts.head : 'AlbertModel';
    return {
      source: `preset ${spec}`,
      files: [],
      config: config.toJSON(),
      architecture,
      parameters: countParameters(config, architecture),
    };
  }
  const m = spec === 'default' ? await loadDefaultModel(io) : await loadRawModel(spec, io, opts);
  const heads = availability(m.config, m.tensors);
  const architecture = opts.head && isHeadName(opts.head) ? opts.head : pickArchitecture(m.config, heads);
  const { report, weights } = bindWeights(architecture, m.config, m.tensors, { allowMissing: true });
  const distinct = new Set(weights.keys().map((k) => weights.get(k)));
  let stored = 0;
  for (const t of distinct) stored += t.size;
  return {
    source: m.source,
    files: m.files,
    config: m.config.toJSON(),
    architecture,
    parameters: countParameters(m.config, architecture),
    checkpointParameters: stored,
    heads,
    loadReport: report,
  };
}

/** The embedded default model (`default`, as every task's `--model` accepts), from @albertjs/pipelines' defaultModelPath(). */
async function loadDefaultModel(io: CliIO): Promise<Awaited<ReturnType<typeof loadRawModel>>> {
  const { defaultModelPath } = await loadPipelines();
  const dir = defaultModelPath();
  const m = await loadRawModel(dir, io);
  return { ...m, source: `default (the embedded default model, ${dir})` };
}

const n = (x: number) => x.toLocaleString('en-US');

export function formatInfo(info: ModelInfo): string {
  const c = info.config as Record<string, number | string>;
  const p = info.parameters;
  const lines = [
    `model         ${info.source}${info.files.length ? ` (${info.files.map((f) => f.split(/[\\/]/).pop()).join(', ')})` : ''}`,
    `architecture  ${info.architecture}`,
    `config        vocab ${c.vocab_size}, embedding ${c.embedding_size}, hidden ${c.hidden_size}, intermediate ${c.intermediate_size}, ` +
      `${c.num_hidden_layers} layers in ${c.num_hidden_groups} group(s) × ${c.inner_group_num} inner, ${c.num_attention_heads} heads, ${c.hidden_act}, max positions ${c.max_position_embeddings}`,
    `parameters    ${n(p.total)} (shared layers counted once; ${n(p.unsharedEquivalent)} if every layer had its own weights)`,
    `              embeddings ${n(p.embeddings)}, encoder ${n(p.encoder)}, pooler ${n(p.pooler)}, head ${n(p.head)}`,
  ];
  if (info.checkpointParameters !== undefined)
    lines.push(`              stored in the checkpoint for ${info.architecture}: ${n(info.checkpointParameters)}`);
  if (info.heads) {
    const ok = info.heads.filter((h) => h.loadable).map((h) => h.head);
    const no = info.heads
      .filter((h) => !h.loadable)
      .map((h) => `${h.head} (${Number.isNaN(h.missing) ? 'shape mismatch' : `${h.missing} missing`})`);
    lines.push(`heads         loadable: ${ok.join(', ') || 'none'}`);
    if (no.length) lines.push(`              not loadable: ${no.join(', ')}`);
  }
  if (info.loadReport) {
    const r = info.loadReport;
    lines.push(
      `load report   ${info.architecture}: ${r.missing.length} missing, ${r.unexpected.length} unexpected, ${r.mismatched.length} mismatched`,
    );
    for (const k of r.missing.slice(0, 10)) lines.push(`              missing     ${k}`);
    for (const k of r.unexpected.slice(0, 10)) lines.push(`              unexpected  ${k}`);
    for (const m of r.mismatched.slice(0, 10))
      lines.push(`              mismatched  ${m.name}: checkpoint [${m.checkpoint}] vs model [${m.model}]`);
  }
  return lines.join('\n');
}

export function registerInfo(program: Command, ctx: RunContext): void {
  program
    .command('info')
    .description('show a model: config, parameter count (shared layers once), loadable heads and the load report')
    .argument(
      '<model>',
      'model folder (config.json + weights in any format), Hub repo id, "default" (the embedded default model), or a preset name with --preset',
    )
    .option('--head <class>', `model class for the parameter count and load report (${HEAD_NAMES.join(', ')})`)
    .option(
      '--preset',
      'treat <model> as an official checkpoint name (albert-base-v2 …) and show its config without weights',
    )
    .option('--json', 'print the result as JSON')
    .option('--revision <rev>', 'Hub branch, tag or commit (default main)')
    .option('--token <token>', 'Hub token for gated or private repos (default $HF_TOKEN, else the stored login token)')
    .option('--cache-dir <dir>', 'Hugging Face cache folder (default $HF_HUB_CACHE or ~/.cache/huggingface/hub)')
    .option('--offline', 'use only the local Hugging Face cache, never the network')
    .action(async (model: string, o: { head?: string; preset?: boolean; json?: boolean } & HubFlags) => {
      if (o.head && !isHeadName(o.head)) {
        throw new CliError(
          `--head ${JSON.stringify(o.head)} is not an ALBERT model class; expected one of ${HEAD_NAMES.join(', ')}`,
          EXIT.USAGE,
        );
      }
      const info = await describeModel(model, ctx.io, o);
      ctx.io.out(o.json ? JSON.stringify(info, null, 2) : formatInfo(info));
    });
}
