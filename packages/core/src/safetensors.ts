// safetensors format: u64 little-endian header length N, N bytes of JSON header, then raw data.
// https://github.com/huggingface/safetensors#format

import { clip } from './checkpoints/pickle.js';
import { typedArrayFromBytes } from './dtype-view.js';
import { CheckpointError } from './errors.js';
import { type DType, numel, shapeStr, Tensor } from './tensor.js';

const ST_DTYPES: Record<string, { dtype: DType; bytes: number }> = {
  F64: { dtype: 'float64', bytes: 8 },
  F32: { dtype: 'float32', bytes: 4 },
  F16: { dtype: 'float16', bytes: 2 },
  BF16: { dtype: 'bfloat16', bytes: 2 },
  I64: { dtype: 'int64', bytes: 8 },
  I32: { dtype: 'int32', bytes: 4 },
  I16: { dtype: 'int16', bytes: 2 },
  I8: { dtype: 'int8', bytes: 1 },
  U8: { dtype: 'uint8', bytes: 1 },
  BOOL: { dtype: 'bool', bytes: 1 },
};
const ST_NAME: Record<DType, string> = Object.fromEntries(
  Object.entries(ST_DTYPES).map(([k, v]) => [v.dtype, k]),
) as Record<DType, string>;

/** Largest header accepted (the reference implementation's limit is 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Parses a whole safetensors file; every malformation is a CheckpointError naming the file and tensor. */
export function parseSafetensors(bytes: Uint8Array, source = 'model.safetensors'): SafetensorsFile {
  if (bytes.byteLength < 8)
    throw new CheckpointError(
      `${source}: truncated file (${bytes.byteLength} bytes, the 8-byte header length is missing)`,
    );
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES))
    throw new CheckpointError(
      `${source}: header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit (corrupt or not a safetensors file)`,
    );
  const n = Number(n64);
  if (8 + n > bytes.byteLength)
    throw new CheckpointError(
      `${source}: truncated file: header says ${n} bytes but only ${bytes.byteLength - 8} follow`,
    );
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new CheckpointError(`${source}: header is not valid UTF-8 JSON (${(e as Error).message})`, { cause: e });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new CheckpointError(`${source}: header must be a JSON object`);
  const dup = firstDuplicateKey(bytes.subarray(8, 8 + n));
  if (dup !== undefined)
    throw new CheckpointError(
      `${source}: header names ${clip(JSON.stringify(dup))} twice (the safetensors format refuses duplicate tensor names)`,
    );
  const dataStart = 8 + n;
  const dataLen = bytes.byteLength - dataStart;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  const ranges: [number, number, string][] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (
        typeof info !== 'object' ||
        info === null ||
        Array.isArray(info) ||
        Object.values(info).some((v) => typeof v !== 'string')
      ) {
        throw new CheckpointError(`${source}: __metadata__ must map strings to strings, got ${JSON.stringify(info)}`);
      }
      metadata = info as Record<string, string>;
      continue;
    }
    const {
      dtype: stName,
      shape,
      data_offsets: offs,
    } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dt = typeof stName === 'string' ? ST_DTYPES[stName] : undefined;
    if (!dt)
      throw new CheckpointError(
        `${source}: tensor ${name} has unknown dtype ${JSON.stringify(stName)}; supported: ${Object.keys(ST_DTYPES).join(', ')}`,
      );
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
      throw new CheckpointError(`${source}: tensor ${name} has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0)) {
      throw new CheckpointError(`${source}: tensor ${name} has invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    const want = numel(shape) * dt.bytes;
    if (end < begin || end - begin !== want) {
      throw new CheckpointError(
        `${source}: tensor ${name} (${stName} ${shapeStr(shape)}) needs ${want} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    }
    if (end > dataLen)
      throw new CheckpointError(
        `${source}: tensor ${name} data_offsets [${begin}, ${end}] run past the end of the data (${dataLen} bytes): truncated file?`,
      );
    ranges.push([begin, end, name]);
    tensors.set(
      name,
      new Tensor(dt.dtype, typedArrayFromBytes(dt.dtype, bytes.subarray(dataStart + begin, dataStart + end)), shape),
    );
  }
  // As the reference reader (safetensors' Metadata::validate): the tensors, in offset order, tile the data section
  // from 0 to its end with no gap, no overlap and nothing after the last one.
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  let prev = '(start of the data)';
  for (const [begin, end, name] of ranges) {
    if (begin < at) throw new CheckpointError(`${source}: tensors ${prev.replace(/^tensor /, '')} and ${name} overlap`);
    if (begin > at)
      throw new CheckpointError(
        `${source}: ${begin - at} unused bytes between ${prev} (ends at ${at}) and tensor ${name} (starts at ${begin}): the tensors must cover the data section without gaps`,
      );
    at = end;
    prev = `tensor ${name}`;
  }
  if (at !== dataLen)
    throw new CheckpointError(
      `${source}: ${dataLen - at} trailing bytes after the last tensor (the data section has ${dataLen} bytes, the tensors end at ${at})`,
    );
  return { tensors, metadata };
}

/**
 * The first top-level key of a JSON object that appears twice (JSON.parse keeps the last silently), or undefined.
 * A linear scan over the text: strings are skipped with their escapes, depth counts braces and brackets.
 */
function firstDuplicateKey(json: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(json);
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = depth === 1 && c === '{';
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return undefined;
}

/** Serializes tensors (sorted by name, as the Python writer does) with optional metadata. */
export function serializeSafetensors(
  tensors: Map<string, Tensor> | Record<string, Tensor>,
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const header: Record<string, unknown> = { __metadata__: metadata };
  let off = 0;
  for (const [name, t] of entries) {
    const nb = t.data.byteLength;
    header[name] = { dtype: ST_NAME[t.dtype], shape: [...t.shape], data_offsets: [off, off + nb] };
    off += nb;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  while ((8 + new TextEncoder().encode(json).byteLength) % 8 !== 0) json += ' ';
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.byteLength + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.byteLength), true);
  out.set(hb, 8);
  let p = 8 + hb.byteLength;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), p);
    p += t.data.byteLength;
  }
  return out;
}
