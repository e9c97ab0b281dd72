// GraphBuilder → ModelProto bytes, optionally with initializers in an external data file
// (required above protobuf's 2 GB message limit). Format: https://onnx.ai/onnx/repo-docs/ExternalData.html
import { GraphBuilder, type Initializer } from './builder.js';
import { ELEM_TO_ONNX, IR_VERSION, type ModelProto, onnx, type TensorProto } from './proto.js';

/** Protobuf messages cannot exceed 2 GiB; beyond that initializers must live in an external file. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

export interface SerializeOptions {
  /** File name (relative to the .onnx file) for the external data; omitted = everything inline. */
  externalData?: string;
  /** Tensors smaller than this stay inline even with externalData (default 1024 bytes). */
  externalThreshold?: number;
  producerName?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

export interface SerializedModel {
  /** The .onnx bytes. */
  model: Uint8Array;
  /** Contents of the external data file (absent when everything is inline). */
  externalData?: { location: string; chunks: Uint8Array[]; byteLength: number };
}

const ALIGN = 4096;

export function serializeModel(g: GraphBuilder, options: SerializeOptions = {}): SerializedModel {
  const threshold = options.externalThreshold ?? 1024;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const tensor = (t: Initializer): TensorProto => {
    const base: TensorProto = { name: t.name, dataType: ELEM_TO_ONNX[t.elem], dims: t.dims };
    if (!options.externalData || t.bytes.byteLength < threshold) return { ...base, rawData: t.bytes };
    const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(t.bytes);
    const entry = {
      ...base,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: options.externalData },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(t.bytes.byteLength) },
      ],
    };
    offset += t.bytes.byteLength;
    return entry;
  };
  const model: ModelProto = {
    irVersion: IR_VERSION,
    producerName: options.producerName ?? '@albertjs/onnx',
    docString: options.docString ?? '',
    opsetImport: g.opsets(),
    functions: g.functions,
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: g.name,
      node: g.nodes,
      initializer: [...g.initializers.values()].map(tensor),
      input: g.inputs.map(GraphBuilder.valueInfo),
      output: g.outputs.map(GraphBuilder.valueInfo),
    },
  };
  const inlineBytes = options.externalData ? 0 : g.initializerBytes();
  if (inlineBytes > PROTOBUF_LIMIT) {
    throw new RangeError(
      `the model's initializers take ${inlineBytes} bytes, over protobuf's 2 GiB limit: serialize with externalData`,
    );
  }
  const bytes = onnx.ModelProto.encode(model);
  return {
    model: bytes,
    ...(options.externalData ? { externalData: { location: options.externalData, chunks, byteLength: offset } } : {}),
  };
}

/** Decodes .onnx bytes; throws the protobuf error for corrupt or truncated data. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}
