// exportOnnx(): a standalone .onnx file for one ALBERT head (what `albert export-onnx` writes).
import {
  type AlbertConfig,
  AlbertConfig as Config,
  type HeadName,
  headParams,
  nodeBuiltin,
  numel,
  untiedDecoderParam,
  type WeightMap,
} from '@albertjs/core';
import { PROTOBUF_LIMIT, type SerializedModel, serializeModel } from './graph/serialize.js';
import { buildAlbertGraph } from './model/build.js';
import { checkDType, checkFlavour, DEFAULT_GRAPH_OPTIONS, type GraphOptions } from './model/options.js';

export interface ExportOptions extends Partial<Omit<GraphOptions, 'hiddenStates' | 'attentions'>> {
  /** Write the model here (and `<path>.data` when external data is used). */
  path?: string;
  /** Emit hidden_states.<i> outputs. */
  outputHiddenStates?: boolean;
  /** Emit attentions.<i> outputs (implies attnImplementation 'eager'). */
  outputAttentions?: boolean;
  /** Initializers in an external `<file>.data` file: true, false, or 'auto' (default: only above protobuf's 2 GB limit). */
  externalData?: boolean | 'auto';
}

export interface ExportResult extends SerializedModel {
  /** Graph input and output names, in order. */
  inputs: string[];
  outputs: string[];
  /** Bytes of the checkpoint parameters this head uses (each shared tensor counted once). */
  parameterBytes: number;
  /** Files written (when `path` was given). */
  files: string[];
}

/** Metadata keys written into every export (read back by loadOnnxModel). */
export const META_HEAD = 'albertjs.head';
export const META_CONFIG = 'albertjs.config';
export const META_FLAVOUR = 'albertjs.flavour';
export const META_DTYPE = 'albertjs.dtype';

export async function exportOnnx(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const opts: GraphOptions = {
    ...DEFAULT_GRAPH_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    flavour: checkFlavour(options.flavour ?? 'standard'),
    dtype: checkDType(options.dtype ?? 'float32'),
    attnImplementation: options.outputAttentions || options.headMask ? 'eager' : (options.attnImplementation ?? 'sdpa'),
    hiddenStates: options.outputHiddenStates ?? false,
    attentions: options.outputAttentions ?? false,
  };
  const { builder, inputs, outputs } = buildAlbertGraph(head, config, weights, opts);
  const base = options.path ? options.path.split(/[\\/]/).pop()! : 'model.onnx';
  const external =
    options.externalData === true ||
    ((options.externalData ?? 'auto') === 'auto' && builder.initializerBytes() > PROTOBUF_LIMIT - 64 * 2 ** 20);
  const serialized = serializeModel(builder, {
    ...(external ? { externalData: `${base}.data` } : {}),
    docString: `${head} exported by @albertjs/onnx (${opts.flavour}, ${opts.dtype}, ${opts.attnImplementation})`,
    metadata: {
      [META_HEAD]: head,
      [META_CONFIG]: compactConfig(config),
      [META_FLAVOUR]: opts.flavour,
      [META_DTYPE]: opts.dtype,
    },
  });
  const files: string[] = [];
  if (options.path) {
    const { writeFile, open } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
    await writeFile(options.path, serialized.model);
    files.push(options.path);
    if (serialized.externalData) {
      const dataPath = `${options.path}.data`;
      const fh = await open(dataPath, 'w');
      try {
        for (const c of serialized.externalData.chunks) await fh.write(c);
      } finally {
        await fh.close();
      }
      files.push(dataPath);
    }
  }
  return { ...serialized, inputs, outputs, parameterBytes: parameterBytes(head, config), files };
}

/** config.json without the fields equal to AlbertConfig's defaults (AlbertConfig.fromJSON restores them). */
export function compactConfig(config: AlbertConfig): string {
  const defaults = new Config().toJSON();
  const full = config.toJSON();
  return JSON.stringify(
    Object.fromEntries(Object.entries(full).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]))),
  );
}

/** float32 bytes of every distinct parameter of `head` (tied weights once). */
export function parameterBytes(head: HeadName, config: AlbertConfig): number {
  const ps = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) ps.push(untied);
  return ps.reduce((n, p) => n + 4 * numel(p.shape), 0);
}
