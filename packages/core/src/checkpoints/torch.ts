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

/** What the zip's central directory says about one entry (read before anything is inflated). */
interface ZipEntryInfo {
  name: string;
  /** compressed size */
  size: number;
  /** uncompressed size the archive declares */
  originalSize: number;
  compression: number;
}

/** deflate cannot expand data by more than this (RFC 1951: 258 bytes from ~2 bits). */
const MAX_DEFLATE_RATIO = 1032;
/** Largest data.pkl accepted: ALBERT's is ~30 KB, a state_dict of 10^5 tensors ~10 MB. */
export const MAX_DATA_PKL_BYTES = 256 * 2 ** 20;

/** fflate's unzip of the entries `want` accepts; a corrupt archive is a CheckpointError. */
function unzipEntries(bytes: Uint8Array, source: string, want: (f: ZipEntryInfo) => boolean) {
  try {
    return unzipSync(bytes, { filter: want });
  } catch (e) {
    throw new CheckpointError(`${source}: not a readable zip archive (truncated or corrupt: ${(e as Error).message})`, {
      cause: e,
    });
  }
}

/** Refuses an entry whose declared size is impossible for its compressed size (so inflating it would allocate for a lie). */
function checkDeclaredSize(f: ZipEntryInfo, source: string): void {
  const bound = f.compression === 0 ? f.size : f.size * MAX_DEFLATE_RATIO + 1024;
  if (f.originalSize > bound) {
    throw new CheckpointError(
      `${source}: zip entry ${f.name} declares ${f.originalSize} bytes but holds ${f.size} ${f.compression === 0 ? 'stored' : 'compressed'} bytes (at most ${bound} once inflated): corrupt or hostile archive`,
    );
  }
}

/**
 * torch.save zip: `<archive>/data.pkl` references `<archive>/data/<key>` storages by persistent id.
 * Nothing is inflated before its size is known to be right: the central directory is read first, data.pkl is
 * inflated only if its declared size is possible and under MAX_DATA_PKL_BYTES, and each storage only once the
 * pickle has declared its element count and the archive's size for it matches (fflate then inflates into a buffer
 * of exactly that size, which it never grows).
 */
export function parseTorchZip(bytes: Uint8Array, source = 'pytorch_model.bin'): Map<string, Tensor> {
  const infos = new Map<string, ZipEntryInfo>();
  unzipEntries(bytes, source, (f) => {
    infos.set(f.name, { name: f.name, size: f.size, originalSize: f.originalSize, compression: f.compression });
    return false;
  });
  const pkl = [...infos.keys()].find((k) => /^[^/]+\/data\.pkl$/.test(k));
  if (!pkl)
    throw new CheckpointError(
      `${source}: zip archive has no <archive>/data.pkl entry; entries: ${[...infos.keys()].slice(0, 8).join(', ')}`,
    );
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const pklInfo = infos.get(pkl)!;
  checkDeclaredSize(pklInfo, source);
  if (pklInfo.originalSize > MAX_DATA_PKL_BYTES)
    throw new CheckpointError(
      `${source}: ${pkl} declares ${pklInfo.originalSize} bytes (limit ${MAX_DATA_PKL_BYTES}): not a state_dict pickle`,
    );
  const order = infos.get(`${prefix}byteorder`);
  if (order) checkDeclaredSize(order, source);
  const head = unzipEntries(bytes, source, (f) => f.name === pkl || (f.name === `${prefix}byteorder` && f.size < 64));
  const orderBytes = head[`${prefix}byteorder`];
  const littleEndian = !orderBytes || new TextDecoder().decode(orderBytes).trim() !== 'big';
  const storages = new Map<string, TorchStorage>();
  const { value } = unpickle(head[pkl]!, {
    globals: torchGlobals(source),
    source: `${source}:${pkl}`,
    persistentLoad(pid) {
      const [, type, key, , n] = persistentTuple(pid, source, [5]);
      if (typeof key !== 'string' || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
        throw new CheckpointError(`${source}: malformed storage id ${pyRepr(pid)}`);
      let s = storages.get(key);
      if (!s) {
        s = new TorchStorage(key, storageDtype(type, source), n);
        const entry = `${prefix}data/${key}`;
        const info = infos.get(entry);
        if (!info) throw new CheckpointError(`${source}: storage ${key} (${entry}) is missing from the archive`);
        const want = n * DTYPE_BYTES[s.dtype];
        if (info.originalSize !== want) {
          throw new CheckpointError(
            `${source}: storage ${key} holds ${info.originalSize} bytes, expected ${n} × ${DTYPE_BYTES[s.dtype]} (${s.dtype})`,
          );
        }
        checkDeclaredSize(info, source);
        storages.set(key, s);
      }
      return s;
    },
  });
  const entryKey = new Map([...storages.keys()].map((k) => [`${prefix}data/${k}`, k]));
  const data = unzipEntries(bytes, source, (f) => entryKey.has(f.name));
  for (const [entry, key] of entryKey) {
    const s = storages.get(key)!;
    const got = data[entry];
    if (!got || got.byteLength !== s.numel * DTYPE_BYTES[s.dtype]) {
      throw new CheckpointError(
        `${source}: storage ${key} inflates to ${got?.byteLength ?? 0} bytes, expected ${s.numel} × ${DTYPE_BYTES[s.dtype]} (${s.dtype}): corrupt archive`,
      );
    }
    s.bytes = got;
  }
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
