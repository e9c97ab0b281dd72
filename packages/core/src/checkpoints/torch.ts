// pytorch_model.bin: torch.save's zip format (torch >= 1.6) and the legacy pre-1.6 stream of pickles.
// https://github.com/pytorch/pytorch/blob/main/torch/serialization.py (_load, _legacy_load)
import { unzipSync } from 'fflate';
import { DTYPE_BYTES } from '../dtype-view.js';
import { CheckpointError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { pyRepr, unpickle } from './pickle.js';
import { stateDictTensors, storageDtype, TorchStorage, torchGlobals } from './torch-pickle.js';

/** torch's legacy format starts with this number pickled (torch/serialization.py MAGIC_NUMBER). */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Reads either pytorch_model.bin format (detected from the first bytes). */
export function parseTorchCheckpoint(bytes: Uint8Array, source = 'pytorch_model.bin'): Map<string, Tensor> {
  return isZip(bytes) ? parseTorchZip(bytes, source) : parseTorchLegacy(bytes, source);
}

function persistentTuple(pid: unknown, source: string, arity: number[]): unknown[] {
  if (!Array.isArray(pid) || !arity.includes(pid.length) || pid[0] !== 'storage') {
    throw new CheckpointError(
      `${source}: unsupported persistent id ${pyRepr(pid)} (expected ('storage', type, key, location, numel))`,
    );
  }
  return pid;
}

/** torch.save zip: `<archive>/data.pkl` references `<archive>/data/<key>` storages by persistent id. */
export function parseTorchZip(bytes: Uint8Array, source = 'pytorch_model.bin'): Map<string, Tensor> {
  let entries: Record<string, Uint8Array>;
  const names: string[] = [];
  try {
    // only what torch.load reads: data.pkl, byteorder and the storages (never inflate other entries)
    entries = unzipSync(bytes, {
      filter: (f) => {
        names.push(f.name);
        return /^[^/]+\/(data\.pkl|byteorder|data\/[^/]+)$/.test(f.name);
      },
    });
  } catch (e) {
    throw new CheckpointError(`${source}: not a readable zip archive (truncated or corrupt: ${(e as Error).message})`, {
      cause: e,
    });
  }
  const pkl = Object.keys(entries).find((k) => /^[^/]+\/data\.pkl$/.test(k));
  if (!pkl)
    throw new CheckpointError(
      `${source}: zip archive has no <archive>/data.pkl entry; entries: ${names.slice(0, 8).join(', ')}`,
    );
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = entries[`${prefix}byteorder`];
  const littleEndian = !order || new TextDecoder().decode(order).trim() !== 'big';
  const storages = new Map<string, TorchStorage>();
  const { value } = unpickle(entries[pkl]!, {
    globals: torchGlobals(source),
    source: `${source}:${pkl}`,
    persistentLoad(pid) {
      const [, type, key, , n] = persistentTuple(pid, source, [5]);
      if (typeof key !== 'string' || typeof n !== 'number')
        throw new CheckpointError(`${source}: malformed storage id ${pyRepr(pid)}`);
      let s = storages.get(key);
      if (!s) {
        s = new TorchStorage(key, storageDtype(type, source), n);
        const data = entries[`${prefix}data/${key}`];
        if (!data)
          throw new CheckpointError(`${source}: storage ${key} (${prefix}data/${key}) is missing from the archive`);
        if (data.byteLength !== n * DTYPE_BYTES[s.dtype]) {
          throw new CheckpointError(
            `${source}: storage ${key} holds ${data.byteLength} bytes, expected ${n} × ${DTYPE_BYTES[s.dtype]} (${s.dtype})`,
          );
        }
        s.bytes = data;
        storages.set(key, s);
      }
      return s;
    },
  });
  return stateDictTensors(value, source, littleEndian);
}

/**
 * Legacy format: pickles of the magic number, protocol version, sys_info, the state_dict (storages as
 * persistent ids), the list of storage keys; then each storage as an int64 element count and its raw bytes.
 */
export function parseTorchLegacy(bytes: Uint8Array, source = 'pytorch_model.bin'): Map<string, Tensor> {
  const plain = { globals: new Map(), source };
  const magic = unpickle(bytes, plain);
  if (magic.value !== LEGACY_MAGIC) {
    throw new CheckpointError(
      `${source}: not a PyTorch checkpoint (neither a zip archive nor the legacy format; first value ${pyRepr(magic.value)})`,
    );
  }
  const proto = unpickle(bytes, { ...plain, offset: magic.end });
  if (proto.value !== LEGACY_PROTOCOL)
    throw new CheckpointError(`${source}: unsupported legacy protocol version ${pyRepr(proto.value)}`);
  const sysInfo = unpickle(bytes, { ...plain, offset: proto.end });
  const info = sysInfo.value instanceof Map ? sysInfo.value : new Map();
  const littleEndian = info.get('little_endian') !== false;
  const storages = new Map<string, TorchStorage>();
  const views: { view: TorchStorage; root: TorchStorage; offset: number }[] = [];
  const main = unpickle(bytes, {
    globals: torchGlobals(source),
    source,
    offset: sysInfo.end,
    persistentLoad(pid) {
      const [, type, key, , n, view] = persistentTuple(pid, source, [6]);
      if (typeof key !== 'string' || typeof n !== 'number')
        throw new CheckpointError(`${source}: malformed storage id ${pyRepr(pid)}`);
      let root = storages.get(key);
      if (!root) {
        root = new TorchStorage(key, storageDtype(type, source), n);
        storages.set(key, root);
      }
      if (view === null || view === undefined) return root;
      const [viewKey, off, viewSize] = Array.isArray(view) ? view : [];
      if (typeof viewKey !== 'string' || typeof off !== 'number' || typeof viewSize !== 'number') {
        throw new CheckpointError(`${source}: malformed storage view ${pyRepr(view)}`);
      }
      const v = new TorchStorage(viewKey, root.dtype, viewSize);
      views.push({ view: v, root, offset: off });
      return v;
    },
  });
  const keysPickle = unpickle(bytes, { ...plain, offset: main.end });
  const keys = keysPickle.value;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))
    throw new CheckpointError(`${source}: storage key list is malformed (${pyRepr(keys)})`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keysPickle.end;
  for (const key of keys as string[]) {
    const s = storages.get(key);
    if (!s) throw new CheckpointError(`${source}: storage ${key} is listed but no tensor uses it`);
    if (pos + 8 > bytes.byteLength)
      throw new CheckpointError(`${source}: truncated file: size of storage ${key} missing at offset ${pos}`);
    const n = dv.getBigInt64(pos, littleEndian);
    pos += 8;
    if (n !== BigInt(s.numel))
      throw new CheckpointError(`${source}: storage ${key} has ${n} elements on disk, the pickle says ${s.numel}`);
    const nb = s.numel * DTYPE_BYTES[s.dtype];
    if (pos + nb > bytes.byteLength) {
      throw new CheckpointError(
        `${source}: truncated file: storage ${key} needs ${nb} bytes at offset ${pos}, only ${bytes.byteLength - pos} remain`,
      );
    }
    s.bytes = bytes.subarray(pos, pos + nb);
    pos += nb;
  }
  for (const { view, root, offset } of views) {
    const el = DTYPE_BYTES[root.dtype];
    if (!root.bytes || (offset + view.numel) * el > root.bytes.byteLength) {
      throw new CheckpointError(
        `${source}: storage view ${view.key} [${offset}, ${offset + view.numel}) lies outside storage ${root.key}`,
      );
    }
    view.bytes = root.bytes.subarray(offset * el, (offset + view.numel) * el);
  }
  return stateDictTensors(main.value, source, littleEndian);
}
