// The ONNX protobuf schema: the messages of https://github.com/onnx/onnx/blob/main/onnx/onnx.proto that albertjs
// writes and inspects (same field numbers), as protobufjs reflection — the protobufjs the tokenizer uses for
// sentencepiece's ModelProto; major 7, the one onnxruntime-web uses, so one protobufjs is installed. Fields left
// out here are skipped on decode.
import protobuf from 'protobufjs';

/** int64 fields: numbers when written; protobufjs decodes them as `Long` when the long package is present. */
export type Int64 = number | { toNumber(): number };

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}
export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}
export interface TensorProto {
  dims?: Int64[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: Int64[];
  name?: string;
  rawData?: Uint8Array;
  doubleData?: number[];
  docString?: string;
  externalData?: StringStringEntryProto[];
  dataLocation?: number;
}
export interface TensorShapeProto {
  dim?: { dimValue?: Int64; dimParam?: string; denotation?: string }[];
}
export interface TypeProto {
  tensorType?: { elemType?: number; shape?: TensorShapeProto };
  denotation?: string;
}
export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  docString?: string;
}
export interface AttributeProto {
  name?: string;
  refAttrName?: string;
  docString?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
}
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
  docString?: string;
}
export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  docString?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
}
export interface FunctionProto {
  name?: string;
  input?: string[];
  output?: string[];
  attribute?: string[];
  node?: NodeProto[];
  docString?: string;
  opsetImport?: OperatorSetIdProto[];
  domain?: string;
}
export interface ModelProto {
  irVersion?: Int64;
  opsetImport?: OperatorSetIdProto[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: Int64;
  docString?: string;
  graph?: GraphProto;
  metadataProps?: StringStringEntryProto[];
  functions?: FunctionProto[];
}

type FieldSpec = [name: string, id: number, type: string, repeated?: 'repeated'];
const message = (fields: FieldSpec[], nested?: Record<string, protobuf.AnyNestedObject>): protobuf.IType => ({
  fields: Object.fromEntries(fields.map(([n, id, type, r]) => [n, { id, type, ...(r ? { rule: r } : {}) }])),
  ...(nested ? { nested } : {}),
});
const R = 'repeated' as const;

/** onnx.proto (proto2): the messages and enums above, with their field numbers. */
const schema: protobuf.INamespace = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: message(
          [
            ['name', 1, 'string'],
            ['refAttrName', 21, 'string'],
            ['docString', 13, 'string'],
            ['type', 20, 'AttributeType'],
            ['f', 2, 'float'],
            ['i', 3, 'int64'],
            ['s', 4, 'bytes'],
            ['t', 5, 'TensorProto'],
            ['g', 6, 'GraphProto'],
            ['floats', 7, 'float', R],
            ['ints', 8, 'int64', R],
            ['strings', 9, 'bytes', R],
            ['tensors', 10, 'TensorProto', R],
            ['graphs', 11, 'GraphProto', R],
          ],
          {
            AttributeType: {
              values: {
                UNDEFINED: 0,
                FLOAT: 1,
                INT: 2,
                STRING: 3,
                TENSOR: 4,
                GRAPH: 5,
                SPARSE_TENSOR: 11,
                TYPE_PROTO: 13,
                FLOATS: 6,
                INTS: 7,
                STRINGS: 8,
                TENSORS: 9,
                GRAPHS: 10,
                SPARSE_TENSORS: 12,
                TYPE_PROTOS: 14,
              },
            },
          },
        ),
        ValueInfoProto: message([
          ['name', 1, 'string'],
          ['type', 2, 'TypeProto'],
          ['docString', 3, 'string'],
        ]),
        NodeProto: message([
          ['input', 1, 'string', R],
          ['output', 2, 'string', R],
          ['name', 3, 'string'],
          ['opType', 4, 'string'],
          ['domain', 7, 'string'],
          ['attribute', 5, 'AttributeProto', R],
          ['docString', 6, 'string'],
        ]),
        ModelProto: message([
          ['irVersion', 1, 'int64'],
          ['opsetImport', 8, 'OperatorSetIdProto', R],
          ['producerName', 2, 'string'],
          ['producerVersion', 3, 'string'],
          ['domain', 4, 'string'],
          ['modelVersion', 5, 'int64'],
          ['docString', 6, 'string'],
          ['graph', 7, 'GraphProto'],
          ['metadataProps', 14, 'StringStringEntryProto', R],
          ['functions', 25, 'FunctionProto', R],
        ]),
        StringStringEntryProto: message([
          ['key', 1, 'string'],
          ['value', 2, 'string'],
        ]),
        GraphProto: message([
          ['node', 1, 'NodeProto', R],
          ['name', 2, 'string'],
          ['initializer', 5, 'TensorProto', R],
          ['docString', 10, 'string'],
          ['input', 11, 'ValueInfoProto', R],
          ['output', 12, 'ValueInfoProto', R],
          ['valueInfo', 13, 'ValueInfoProto', R],
        ]),
        TensorProto: message(
          [
            ['dims', 1, 'int64', R],
            ['dataType', 2, 'int32'],
            ['floatData', 4, 'float', R],
            ['int32Data', 5, 'int32', R],
            ['int64Data', 7, 'int64', R],
            ['name', 8, 'string'],
            ['docString', 12, 'string'],
            ['rawData', 9, 'bytes'],
            ['externalData', 13, 'StringStringEntryProto', R],
            ['dataLocation', 14, 'DataLocation'],
            ['doubleData', 10, 'double', R],
          ],
          {
            DataType: {
              values: {
                UNDEFINED: 0,
                FLOAT: 1,
                UINT8: 2,
                INT8: 3,
                UINT16: 4,
                INT16: 5,
                INT32: 6,
                INT64: 7,
                STRING: 8,
                BOOL: 9,
                FLOAT16: 10,
                DOUBLE: 11,
                UINT32: 12,
                UINT64: 13,
                COMPLEX64: 14,
                COMPLEX128: 15,
                BFLOAT16: 16,
              },
            },
            DataLocation: { values: { DEFAULT: 0, EXTERNAL: 1 } },
          },
        ),
        TensorShapeProto: message([['dim', 1, 'Dimension', R]], {
          Dimension: message([
            ['dimValue', 1, 'int64'],
            ['dimParam', 2, 'string'],
            ['denotation', 3, 'string'],
          ]),
        }),
        TypeProto: message(
          [
            ['tensorType', 1, 'Tensor'],
            ['denotation', 6, 'string'],
          ],
          {
            Tensor: message([
              ['elemType', 1, 'int32'],
              ['shape', 2, 'TensorShapeProto'],
            ]),
          },
        ),
        OperatorSetIdProto: message([
          ['domain', 1, 'string'],
          ['version', 2, 'int64'],
        ]),
        FunctionProto: message([
          ['name', 1, 'string'],
          ['input', 4, 'string', R],
          ['output', 5, 'string', R],
          ['attribute', 6, 'string', R],
          ['node', 7, 'NodeProto', R],
          ['docString', 8, 'string'],
          ['opsetImport', 9, 'OperatorSetIdProto', R],
          ['domain', 10, 'string'],
        ]),
      },
    },
  },
};

const root = protobuf.Root.fromJSON(schema);
const enumValues = <T extends string>(path: string) => root.lookupEnum(path).values as Record<T, number>;
const modelType = root.lookupType('onnx.ModelProto');

/** The ONNX enums and the ModelProto codec (the names the generated onnx-proto classes had). */
export const onnx = {
  ModelProto: {
    encode: (m: ModelProto): Uint8Array => modelType.encode(m).finish(),
    decode: (bytes: Uint8Array): ModelProto => modelType.decode(bytes) as ModelProto,
  },
  TensorProto: {
    DataType: enumValues<
      | 'UNDEFINED'
      | 'FLOAT'
      | 'UINT8'
      | 'INT8'
      | 'UINT16'
      | 'INT16'
      | 'INT32'
      | 'INT64'
      | 'STRING'
      | 'BOOL'
      | 'FLOAT16'
      | 'DOUBLE'
      | 'UINT32'
      | 'UINT64'
      | 'COMPLEX64'
      | 'COMPLEX128'
      | 'BFLOAT16'
    >('onnx.TensorProto.DataType'),
    DataLocation: enumValues<'DEFAULT' | 'EXTERNAL'>('onnx.TensorProto.DataLocation'),
  },
  AttributeProto: {
    AttributeType: enumValues<
      | 'UNDEFINED'
      | 'FLOAT'
      | 'INT'
      | 'STRING'
      | 'TENSOR'
      | 'GRAPH'
      | 'SPARSE_TENSOR'
      | 'TYPE_PROTO'
      | 'FLOATS'
      | 'INTS'
      | 'STRINGS'
      | 'TENSORS'
      | 'GRAPHS'
      | 'SPARSE_TENSORS'
      | 'TYPE_PROTOS'
    >('onnx.AttributeProto.AttributeType'),
  },
} as const;

/** Element types the builder emits, named as @albertjs/core's DType. */
export type Elem = 'float32' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

export const ELEM_TO_ONNX: Record<Elem, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

export const ONNX_TO_ELEM: Record<number, Elem> = Object.fromEntries(
  Object.entries(ELEM_TO_ONNX).map(([k, v]) => [v, k as Elem]),
);

/** Bytes per element of each Elem. */
export const ELEM_BYTES: Record<Elem, number> = {
  float32: 4,
  float16: 2,
  int64: 8,
  int32: 4,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** ONNX IR version written (IR 8 = ONNX 1.10+, needed for opset 17). */
export const IR_VERSION = 8;
/** Default-domain opset: LayerNormalization needs 17. */
export const OPSET = 17;
/** com.microsoft contrib-op domain version understood by onnxruntime ≥ 1.14. */
export const MS_OPSET = 1;
export const MS_DOMAIN = 'com.microsoft';
/** Domain of the model-local functions (the shared ALBERT layer). */
export const LOCAL_DOMAIN = 'albertjs';
