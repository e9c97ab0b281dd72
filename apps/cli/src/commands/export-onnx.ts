// `albert export-onnx`: a standalone .onnx file for one head of a model, through @albertjs/onnx's exportOnnx.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bindWeights, HEAD_NAMES, type HeadName, isHeadName, loadCheckpoint } from '@albertjs/core';
import { type Command, Option } from 'commander';
import { importRequired } from '../backends.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type HubFlags, resolveModelDir } from '../model.js';
import type { RunContext } from '../program.js';
import { loadPipelines } from './tasks.js';

type OnnxLib = typeof import('@albertjs/onnx');

interface ExportFlags extends HubFlags {
  model: string;
  out: string;
  head?: string;
  flavour: 'standard' | 'optimized';
  dtype: 'float32' | 'float16' | 'int8';
  attn: 'sdpa' | 'eager';
  hiddenStates?: boolean;
  attentions?: boolean;
  externalData?: boolean;
  json?: boolean;
}

function loadOnnx(): Promise<OnnxLib> {
  return importRequired<OnnxLib>('@albertjs/onnx', 'export-onnx needs');
}

export function registerExportOnnx(program: Command, ctx: RunContext): void {
  program
    .command('export-onnx')
    .description(
      'export one head of a model as a standalone ONNX file (runs in onnxruntime, ONNX Runtime Web, transformers.js)',
    )
    .requiredOption('-o, --out <file>', 'the .onnx file to write')
    .option('-m, --model <model>', 'model folder, Hub repo id, or "default" (the embedded default model)', 'default')
    .option('--head <class>', `model class (default: the checkpoint's architecture); one of ${HEAD_NAMES.join(', ')}`)
    .addOption(
      new Option('--flavour <f>', 'standard: plain opset-17 ops; optimized: onnxruntime contrib ops')
        .choices(['standard', 'optimized'])
        .default('standard'),
    )
    .addOption(
      new Option('--dtype <d>', 'weight storage precision').choices(['float32', 'float16', 'int8']).default('float32'),
    )
    .addOption(new Option('--attn <impl>', 'attention graph').choices(['sdpa', 'eager']).default('sdpa'))
    .option('--hidden-states', 'add hidden_states.<i> outputs')
    .option('--attentions', 'add attentions.<i> outputs (eager graph)')
    .option('--external-data', 'store the weights in <file>.data (automatic above 2 GB)')
    .option('--json', 'print the result as JSON')
    .option('--revision <rev>', 'Hub branch, tag or commit (default main)')
    .option('--token <token>', 'Hub token for gated or private repos (default $HF_TOKEN, else the stored login token)')
    .option('--cache-dir <dir>', 'Hugging Face cache folder')
    .option('--offline', 'use only the local Hugging Face cache, never the network')
    .action(async (o: ExportFlags) => {
      if (o.head !== undefined && !isHeadName(o.head)) {
        throw new CliError(
          `--head ${JSON.stringify(o.head)} is not an ALBERT model class; expected one of ${HEAD_NAMES.join(', ')}`,
          EXIT.USAGE,
        );
      }
      const onnx = await loadOnnx();
      const dir = (await resolveModelDir(o.model, ctx.io, o)) ?? (await loadPipelines()).defaultModelPath();
      const { config, tensors } = await loadCheckpoint(dir);
      const arch = config.architectures?.[0];
      const head: HeadName = (o.head as HeadName | undefined) ?? (arch && isHeadName(arch) ? arch : 'AlbertModel');
      const { weights, report } = bindWeights(head, config, tensors);
      const out = resolve(o.out);
      if (!existsSync(dirname(out))) mkdirSync(dirname(out), { recursive: true });
      const r = await onnx.exportOnnx(head, config, weights, {
        path: out,
        flavour: o.flavour,
        dtype: o.dtype,
        attnImplementation: o.attn,
        outputHiddenStates: Boolean(o.hiddenStates),
        outputAttentions: Boolean(o.attentions),
        ...(o.externalData ? { externalData: true } : {}),
      });
      const summary = {
        head,
        files: r.files,
        bytes: r.model.byteLength + (r.externalData?.byteLength ?? 0),
        inputs: r.inputs,
        outputs: r.outputs,
        flavour: o.flavour,
        dtype: o.dtype,
        unusedCheckpointWeights: report.unexpected,
      };
      if (o.json) {
        ctx.io.out(JSON.stringify(summary, null, 2));
        return;
      }
      ctx.io.out(
        [
          `wrote ${r.files.join(', ')} (${(summary.bytes / 1e6).toFixed(2)} MB, ${head}, ${o.flavour}, ${o.dtype})`,
          `inputs   ${r.inputs.join(', ')}`,
          `outputs  ${r.outputs.join(', ')}`,
          ...(report.unexpected.length
            ? [`unused checkpoint weights: ${report.unexpected.length} (${report.unexpected.slice(0, 3).join(', ')}…)`]
            : []),
        ].join('\n'),
      );
    });
}
