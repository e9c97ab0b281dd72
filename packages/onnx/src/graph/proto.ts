// The ONNX protobuf schema (onnx.proto) as generated protobufjs classes, via the `onnx-proto` package.
// https://github.com/onnx/onnx/blob/main/onnx/onnx.proto
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type ModelProto = InstanceType<typeof onnx.ModelProto>;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type FunctionProto = onnxProto.onnx.IFunctionProto;

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
