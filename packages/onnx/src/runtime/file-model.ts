// Running any ALBERT .onnx file: our own exports (outputs named like the HF fields, config in the
// metadata) and third-party exports such as torch.onnx.export's, whose output names are arbitrary
// (`onnx::Gather_402`, `405`): those are mapped to the head's fields by position and shape.
import {
  type AlbertConfig,
  type AlbertInputs,
  BackendError,
  CheckpointError,
  AlbertConfig as Config,
  type F32,
  fieldRank,
  HEADS,
  type HeadName,
  InputError,
  isHeadName,
  lossFromLabels,
  nodeBuiltin,
  prepareInputs,
  Tensor,
} from '@albertjs/core';
import { META_CONFIG, META_HEAD } from '../export.js';
import { decodeModel } from '../graph/serialize.js';
import { toFeeds } from './feeds.js';
import { createSession, firstLine, loadOrt, type OrtModule, type OrtSession, type SessionConfig } from './ort.js';

export interface OnnxFileOptions extends SessionConfig {
  /** The model class the file holds (default: from the file's albertjs metadata). */
  head?: HeadName;
  /** Enables range checks and losses (default: from the file's albertjs metadata). */
  config?: AlbertConfig;
  /** The onnxruntime module to use (default: onnxruntime-node / onnxruntime-web, imported dynamically). */
  ort?: OrtModule;
}

export interface OnnxFileModel {
  readonly head: HeadName;
  readonly config: AlbertConfig | undefined;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** HF-named outputs (plus `loss` when labels are given and the config is known). */
  forward(inputs: AlbertInputs): Promise<Record<string, F32>>;
  dispose(): void;
}

/** Checks that `bytes` is a decodable ONNX model; corrupt or truncated files get a CheckpointError. */
export function inspectOnnx(bytes: Uint8Array, what: string): { metadata: Record<string, string>; external: boolean } {
  let model: ReturnType<typeof decodeModel>;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    throw new CheckpointError(
      `${what} is not a valid ONNX model (corrupt or truncated, ${bytes.byteLength} bytes): ${firstLine(e)}`,
      { cause: e },
    );
  }
  const g = model.graph;
  if (!g?.node?.length || !g.output?.length)
    throw new CheckpointError(`${what} holds no ONNX graph (no nodes or no outputs): is it an .onnx file?`);
  if (!model.opsetImport?.length) throw new CheckpointError(`${what} declares no opset: not a valid ONNX model`);
  const metadata = Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const external = (g.initializer ?? []).some((t) => t.dataLocation === 1);
  return { metadata, external };
}

export async function loadOnnxModel(
  source: string | Uint8Array,
  options: OnnxFileOptions = {},
): Promise<OnnxFileModel> {
  const what = typeof source === 'string' ? source : 'the ONNX bytes';
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    const { readFile } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
    try {
      bytes = new Uint8Array(await readFile(source));
    } catch (e) {
      throw new CheckpointError(`cannot read ${source}: ${firstLine(e)}`, { cause: e });
    }
  } else bytes = source;
  const { metadata, external } = inspectOnnx(bytes, what);
  if (external && typeof source !== 'string')
    throw new CheckpointError(`${what} keeps its weights in external data files: load it by path`);
  const headName = options.head ?? metadata[META_HEAD];
  if (!headName)
    throw new InputError(
      `${what} does not say which ALBERT head it is: pass options.head (one of the model classes, e.g. 'AlbertModel')`,
    );
  if (!isHeadName(headName)) throw new InputError(`head ${JSON.stringify(headName)} names no ALBERT model class`);
  const config =
    options.config ?? (metadata[META_CONFIG] ? Config.fromJSON(metadata[META_CONFIG], `${what} metadata`) : undefined);
  const ort = options.ort ?? (await loadOrt(options.runtime));
  const session = await createSession(ort, external ? (source as string) : bytes, options, what);
  return new FileModel(headName, config, session, ort);
}

class FileModel implements OnnxFileModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  constructor(
    readonly head: HeadName,
    readonly config: AlbertConfig | undefined,
    private readonly session: OrtSession,
    private readonly ort: Awaited<ReturnType<typeof loadOrt>>,
  ) {
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
  }

  async forward(inputs: AlbertInputs): Promise<Record<string, F32>> {
    const p = prepareInputs(this.head, this.config, inputs);
    const shape = [...p.lead, p.seq];
    const given = toFeeds(p);
    const meta = new Map(this.session.inputMetadata.map((m) => [m.name, m]));
    const feeds: Record<string, InstanceType<typeof this.ort.Tensor>> = {};
    for (const name of this.inputNames) {
      const f = given[name];
      if (!f) {
        if (name === 'position_ids') {
          // Graphs exported with a position_ids input still get the default 0..S-1.
          feeds[name] = new this.ort.Tensor(
            BigInt64Array.from(p.positionIds, (v) => BigInt(v)),
            shape,
          );
          continue;
        }
        throw new InputError(
          `this ONNX model needs input ${name}, which albertjs cannot provide (inputs: ${this.inputNames.join(', ')})`,
        );
      }
      const m = meta.get(name);
      const type = m?.isTensor ? m.type : 'int64';
      const data =
        type === 'int32' && f.data instanceof BigInt64Array ? Int32Array.from(f.data, (v) => Number(v)) : f.data;
      feeds[name] = new this.ort.Tensor(data, f.dims);
    }
    let r: Awaited<ReturnType<OrtSession['run']>>;
    try {
      r = await this.session.run(feeds);
    } catch (e) {
      throw new BackendError(
        `onnxruntime failed running ${this.head} on inputs of shape [${shape.join(', ')}]: ${firstLine(e)}`,
        { cause: e },
      );
    }
    const out = this.mapOutputs(r, p.lead[0]!);
    const flat = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data]));
    const loss = this.config ? lossFromLabels(this.head, this.config, flat, p) : undefined;
    return loss ? { loss, ...out } : out;
  }

  /** By name when the file uses HF field names; otherwise each field takes the next output of its rank with the batch as first axis. */
  private mapOutputs(r: Awaited<ReturnType<OrtSession['run']>>, batch: number): Record<string, F32> {
    const out: Record<string, F32> = {};
    const used = new Set<string>();
    for (const spec of HEADS[this.head].fields) {
      const f = { name: spec.name, rank: fieldRank(this.head, spec) };
      const byName = r[f.name] ? f.name : undefined;
      const name =
        byName ?? this.outputNames.find((n) => !used.has(n) && r[n]!.dims.length === f.rank && r[n]!.dims[0] === batch);
      if (!name) {
        const got = this.outputNames.map((n) => `${n} [${r[n]!.dims.join(', ')}]`).join(', ');
        throw new BackendError(
          `cannot find ${this.head}.${f.name} (rank ${f.rank}, batch ${batch}) among the model's outputs: ${got}`,
        );
      }
      used.add(name);
      const t = r[name]!;
      if (t.type !== 'float32')
        throw new BackendError(`output ${name} (${f.name}) has type ${t.type}, expected float32`);
      out[f.name] = new Tensor('float32', t.data as Float32Array, [...t.dims]);
    }
    return out;
  }

  dispose(): void {
    this.session.release().catch(() => undefined);
  }
}
