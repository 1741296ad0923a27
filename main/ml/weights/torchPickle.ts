// PyTorch checkpoints (`pytorch_model.bin`) without Python, after torch/serialization.py:
// the zip format of torch >= 1.6 (`<prefix>/data.pkl` whose persistent ids name entries
// `<prefix>/data/<key>`) and the legacy format of older torch (magic number, protocol and
// sys_info pickles, the object pickle, a pickle of storage keys, then each storage as an
// 8-byte little-endian element count and its raw bytes). The pickle runs on pickle.ts's VM,
// which only knows the tensor-rebuilding globals below: anything else is refused, never run.
import { WeightsError } from './errors';
import { unpickle, type PickleHooks } from './pickle';
import { bytesPerElement, decodeFloat32, readRange, type SafetensorsDtype } from './safetensors';
import type { ByteSource, CheckpointTensor, TensorReader } from './types';
import { entryDataOffset, isZip, readZipDirectory } from './zip';

// Stand-ins for the globals a state dict may name. Every one is inert data.
type TorchGlobal =
  | { kind: 'rebuildTensor' }
  | { kind: 'rebuildParameter' }
  | { kind: 'rebuildFromType' }
  | { kind: 'tensorType'; name: string }
  | { kind: 'orderedDict' }
  | { kind: 'storageType'; name: string; dtype: SafetensorsDtype }
  | { kind: 'dtype'; name: string };

class Global {
  constructor(
    readonly qualified: string,
    readonly what: TorchGlobal,
  ) {}
}

class Storage {
  constructor(
    readonly key: string,
    readonly dtype: SafetensorsDtype,
    /** Elements in the storage as the persistent id declares it. */
    readonly numel: number,
    /** Where, in elements, this storage starts inside its root (legacy storage views). */
    readonly elementOffset = 0,
  ) {}
}

class TensorRef {
  constructor(
    readonly storage: Storage,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

const storageDtypes: Record<string, SafetensorsDtype> = {
  FloatStorage: 'F32', HalfStorage: 'F16', BFloat16Storage: 'BF16', DoubleStorage: 'F64', LongStorage: 'I64', IntStorage: 'I32',
  ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL', UntypedStorage: 'U8',
};

const dtypeNames = new Set(['float32', 'float', 'float16', 'half', 'bfloat16', 'float64', 'double', 'int64', 'long', 'int32', 'int', 'int16', 'short', 'int8', 'uint8', 'bool']);

function findClass(module: string, name: string): Global {
  const qualified = `${module}.${name}`;
  const known = (what: TorchGlobal) => new Global(qualified, what);
  if (module === 'collections' && name === 'OrderedDict') return known({ kind: 'orderedDict' });
  if (module === 'torch._utils' && (name === '_rebuild_tensor_v2' || name === '_rebuild_tensor')) return known({ kind: 'rebuildTensor' });
  if (module === 'torch._utils' && (name === '_rebuild_parameter' || name === '_rebuild_parameter_with_state')) return known({ kind: 'rebuildParameter' });
  if (module === 'torch._tensor' && name === '_rebuild_from_type_v2') return known({ kind: 'rebuildFromType' });
  if ((module === 'torch' && name === 'Tensor') || (module === 'torch.nn.parameter' && name === 'Parameter')) return known({ kind: 'tensorType', name });
  if ((module === 'torch' || module === 'torch.storage') && Object.prototype.hasOwnProperty.call(storageDtypes, name)) {
    return known({ kind: 'storageType', name, dtype: storageDtypes[name] });
  }
  if (module === 'torch' && dtypeNames.has(name)) return known({ kind: 'dtype', name });
  if (module === 'torch' && name.endsWith('Storage')) {
    throw new WeightsError('unsupported', `tensors stored as torch.${name} are not supported (only float, half, bfloat16, double, integer and bool storages are)`);
  }
  if (module === 'torch._utils' && name.startsWith('_rebuild_')) {
    throw new WeightsError('unsupported', `the checkpoint holds a kind of tensor rebuilt by ${qualified} (quantized, sparse, meta or a tensor subclass), which is not supported`);
  }
  throw new WeightsError(
    'unsupported',
    `the checkpoint's pickle asks for the Python global ${qualified}; a weights file needs only PyTorch's tensor globals, so it is refused (nothing in the file is ever run). It may be a whole pickled model rather than a state dict, or malicious.`,
  );
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

function intTuple(x: unknown, what: string): number[] {
  if (!Array.isArray(x) || !x.every((v) => isInt(v) && v >= 0)) throw new WeightsError('corrupt', `tensor ${what} is not a tuple of non-negative integers: ${String(x)}`);
  return x as number[];
}

/** The pickle hooks for a state dict; `loadStorage` turns a persistent id into a Storage. */
function torchHooks(loadStorage: (pid: unknown[]) => Storage): PickleHooks {
  const isGlobal = (x: unknown, kind: TorchGlobal['kind']): x is Global => x instanceof Global && x.what.kind === kind;
  const hooks: PickleHooks = {
    findClass,
    persistentLoad(pid) {
      if (!Array.isArray(pid) || pid.length === 0) throw new WeightsError('corrupt', `persistent id ${String(pid)} is not a tuple`);
      if (pid[0] === 'module') throw new WeightsError('unsupported', 'the checkpoint is a whole pickled nn.Module, not a state dict; save model.state_dict() instead');
      if (pid[0] !== 'storage') throw new WeightsError('unsupported', `persistent id of type ${String(pid[0])} is not supported`);
      return loadStorage(pid);
    },
    call(callable, args, opcode) {
      if (isGlobal(callable, 'orderedDict')) {
        const dict = new Map<unknown, unknown>();
        if (opcode === 'REDUCE' && args.length === 1 && Array.isArray(args[0])) {
          for (const pair of args[0]) if (Array.isArray(pair) && pair.length === 2) dict.set(pair[0], pair[1]);
        }
        return dict;
      }
      if (opcode === 'REDUCE' && isGlobal(callable, 'rebuildTensor')) {
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        const [storage, offset, size, stride] = args;
        if (!(storage instanceof Storage)) throw new WeightsError('corrupt', `${callable.qualified} called without a storage`);
        if (!isInt(offset) || offset < 0) throw new WeightsError('corrupt', `${callable.qualified} called with storage offset ${String(offset)}`);
        const shape = intTuple(size, 'size');
        const strides = intTuple(stride, 'stride');
        if (shape.length !== strides.length) throw new WeightsError('corrupt', `tensor size [${shape.join(', ')}] and stride [${strides.join(', ')}] differ in rank`);
        return new TensorRef(storage, offset, shape, strides);
      }
      if (opcode === 'REDUCE' && isGlobal(callable, 'rebuildParameter')) {
        // _rebuild_parameter(data, requires_grad, backward_hooks[, state]): the data is what we need.
        if (!(args[0] instanceof TensorRef)) throw new WeightsError('corrupt', `${callable.qualified} called without a tensor`);
        return args[0];
      }
      if (opcode === 'REDUCE' && isGlobal(callable, 'rebuildFromType')) {
        // _rebuild_from_type_v2(func, new_type, args, state): a plain Tensor or Parameter, via func.
        const [func, newType, inner] = args;
        if (!isGlobal(newType, 'tensorType')) throw new WeightsError('unsupported', 'a tensor subclass is not supported');
        if (!Array.isArray(inner)) throw new WeightsError('corrupt', `${callable.qualified} called without arguments`);
        return hooks.call(func, inner, 'REDUCE');
      }
      const name = callable instanceof Global ? callable.qualified : typeof callable;
      throw new WeightsError('unsupported', `the checkpoint's pickle calls ${name} (${opcode}), which a state dict does not need; refused`);
    },
    build(obj, state) {
      // OrderedDict's state is its attributes (state_dict()'s _metadata), a parameter's its
      // Python attributes: neither matters for the weights.
      if (obj instanceof Map || obj instanceof TensorRef) return obj;
      const name = obj instanceof Global ? obj.qualified : typeof obj;
      throw new WeightsError('unsupported', `the checkpoint's pickle sets the state (${typeof state}) of ${name}, which a state dict does not need`);
    },
  };
  return hooks;
}

/** Every tensor in a (possibly nested) state dict, nested keys joined with dots. */
function collectTensors(value: unknown): Map<string, TensorRef> {
  const out = new Map<string, TensorRef>();
  const walk = (v: unknown, prefix: string, depth: number) => {
    if (!(v instanceof Map) || depth > 8) return;
    for (const [k, item] of v) {
      if (typeof k !== 'string') continue;
      if (item instanceof TensorRef) out.set(prefix + k, item);
      else walk(item, `${prefix}${k}.`, depth + 1);
    }
  };
  if (value instanceof TensorRef) out.set('', value);
  walk(value, '', 0);
  return out;
}

/** Where a storage's elements lie in the file. */
interface StorageBytes {
  fileOffset: number;
  /** Elements actually present (the zip entry's or legacy record's size). */
  elements: number;
}

function numelOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isContiguous(shape: number[], stride: number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

const maxElements = 2 ** 32 - 1;

function makeReader(source: ByteSource, refs: Map<string, TensorRef>, locate: (storage: Storage) => StorageBytes): TensorReader {
  const tensors = new Map<string, CheckpointTensor>();
  const layouts = new Map<string, { ref: TensorRef; fileOffset: number; span: number }>();
  for (const [name, ref] of refs) {
    const { storage, offset, shape, stride } = ref;
    const elementSize = bytesPerElement[storage.dtype];
    const numel = numelOf(shape);
    // Stride 0 (an expanded tensor) lets a few bytes claim any size; read() must allocate it.
    if (numel > maxElements) throw new WeightsError('unsupported', `tensor ${name} has ${numel} elements, more than one Float32Array can hold (${maxElements})`);
    // Elements from the first to the last one the view touches (torch strides are >= 0).
    const span = numel === 0 ? 0 : 1 + shape.reduce((sum, size, d) => sum + (size - 1) * stride[d], 0);
    if (numel > 0 && offset + span > storage.numel) {
      throw new WeightsError('corrupt', `tensor ${name} reaches element ${offset + span} of its storage, which has ${storage.numel} elements`);
    }
    let fileOffset = 0;
    if (numel > 0) {
      const where = locate(storage);
      const first = storage.elementOffset + offset;
      if (first + span > where.elements) {
        throw new WeightsError('corrupt', `tensor ${name} reaches element ${first + span} of storage ${storage.key}, which holds ${where.elements}`);
      }
      fileOffset = where.fileOffset + first * elementSize;
      const endByte = fileOffset + span * elementSize;
      if (endByte > source.size) {
        throw new WeightsError('truncated', `tensor ${name} needs bytes ${fileOffset}–${endByte} but the file has ${source.size} bytes`);
      }
    }
    tensors.set(name, { name, dtype: storage.dtype, shape });
    layouts.set(name, { ref, fileOffset, span });
  }
  return {
    tensors,
    read(name) {
      const layout = layouts.get(name);
      if (!layout) throw new WeightsError('unsupported', `no tensor named ${name}`);
      const { ref, fileOffset, span } = layout;
      const numel = numelOf(ref.shape);
      if (numel === 0) return new Float32Array(0);
      const elementSize = bytesPerElement[ref.storage.dtype];
      const values = decodeFloat32(readRange(source, fileOffset, span * elementSize, `tensor ${name}`), ref.storage.dtype);
      if (span === numel && isContiguous(ref.shape, ref.stride)) return values;
      // A view: walk the output in row-major order, moving through storage by the strides.
      const out = new Float32Array(numel);
      const { shape, stride } = ref;
      const index = new Array<number>(shape.length).fill(0);
      let at = 0;
      for (let o = 0; o < numel; o++) {
        out[o] = values[at];
        for (let d = shape.length - 1; d >= 0; d--) {
          index[d]++;
          at += stride[d];
          if (index[d] < shape[d]) break;
          at -= stride[d] * shape[d];
          index[d] = 0;
        }
      }
      return out;
    },
  };
}

function storageFromPid(pid: unknown[], storages: Map<string, Storage>): Storage {
  // zip: ('storage', storage_type, key, location, numel)
  // legacy: ('storage', storage_type, root_key, location, numel, view_metadata)
  const [, type, key, , numel, view] = pid;
  if (!(type instanceof Global) || type.what.kind !== 'storageType') throw new WeightsError('corrupt', `storage persistent id without a storage type: ${String(type)}`);
  if (typeof key !== 'string' || !isInt(numel) || numel < 0) throw new WeightsError('corrupt', `storage persistent id with key ${String(key)} and size ${String(numel)}`);
  let root = storages.get(key);
  if (!root) {
    root = new Storage(key, type.what.dtype, numel);
    storages.set(key, root);
  } else if (root.dtype !== type.what.dtype) {
    throw new WeightsError('unsupported', `storage ${key} is read as both ${root.dtype} and ${type.what.dtype}`);
  }
  if (view === undefined || view === null) return root;
  // Torch < 0.4 storage views: (view_key, offset, view_size) inside the root.
  if (!Array.isArray(view) || !isInt(view[1]) || !isInt(view[2])) throw new WeightsError('corrupt', `storage ${key} has a malformed view ${String(view)}`);
  return new Storage(key, root.dtype, view[2], view[1]);
}

function openZip(source: ByteSource): TensorReader {
  if (source.size < 22) throw new WeightsError('truncated', `the file starts as a zip archive but has only ${source.size} bytes`);
  const entries = readZipDirectory(source);
  const pkl = [...entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkl.length !== 1) throw new WeightsError('corrupt', `the zip archive has ${pkl.length === 0 ? 'no' : 'more than one'} <name>/data.pkl entry, so it is not a PyTorch checkpoint`);
  const prefix = pkl[0].slice(0, -'data.pkl'.length);
  const byteorder = entries.get(`${prefix}byteorder`);
  if (byteorder) {
    const order = new TextDecoder().decode(readRange(source, entryDataOffset(source, byteorder), byteorder.size, 'the byteorder entry')).trim();
    if (order !== 'little') throw new WeightsError('unsupported', `the checkpoint was saved on a ${order}-endian machine; only little-endian checkpoints are supported`);
  }
  const storages = new Map<string, Storage>();
  const entry = entries.get(pkl[0])!;
  const start = entryDataOffset(source, entry);
  const { value } = unpickle(source, torchHooks((pid) => storageFromPid(pid, storages)), pkl[0], start, start + entry.size);
  return makeReader(source, collectTensors(value), (storage) => {
    const data = entries.get(`${prefix}data/${storage.key}`);
    if (!data) throw new WeightsError('corrupt', `the checkpoint has no entry ${prefix}data/${storage.key} for a storage its pickle names`);
    return { fileOffset: entryDataOffset(source, data), elements: Math.floor(data.size / bytesPerElement[storage.dtype]) };
  });
}

// torch/serialization.py's MAGIC_NUMBER and PROTOCOL_VERSION.
const legacyMagic = 0x1950a86a20f9469cfc6cn;
const legacyProtocol = 1001;

/** Plain data only: the first pickles of a legacy file name no globals. */
const plainHooks: PickleHooks = {
  findClass: (module, name) => findClass(module, name),
  call: () => {
    throw new WeightsError('corrupt', 'a call in the legacy header pickles');
  },
  build: () => {
    throw new WeightsError('corrupt', 'a BUILD in the legacy header pickles');
  },
  persistentLoad: () => {
    throw new WeightsError('corrupt', 'a persistent id in the legacy header pickles');
  },
};

function openLegacy(source: ByteSource): TensorReader {
  const magic = unpickle(source, plainHooks, 'the magic number pickle');
  if (magic.value !== legacyMagic) throw new WeightsError('corrupt', 'the file starts with a pickle but not with PyTorch\'s magic number: not a PyTorch checkpoint');
  const protocol = unpickle(source, plainHooks, 'the protocol version pickle', magic.end);
  if (protocol.value !== legacyProtocol) throw new WeightsError('unsupported', `legacy PyTorch protocol version ${String(protocol.value)} (only ${legacyProtocol} is known)`);
  const sysInfo = unpickle(source, plainHooks, 'the sys_info pickle', protocol.end);
  if (sysInfo.value instanceof Map && sysInfo.value.get('little_endian') === false) {
    throw new WeightsError('unsupported', 'the checkpoint was saved on a big-endian machine; only little-endian checkpoints are supported');
  }
  const storages = new Map<string, Storage>();
  const object = unpickle(source, torchHooks((pid) => storageFromPid(pid, storages)), 'the state dict pickle', sysInfo.end);
  const keys = unpickle(source, plainHooks, 'the storage key pickle', object.end);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) throw new WeightsError('corrupt', 'the storage key pickle is not a list of strings');
  // Each storage: an 8-byte little-endian element count, then its elements, in key order.
  const located = new Map<string, StorageBytes>();
  let at = keys.end;
  for (const key of keys.value as string[]) {
    const storage = storages.get(key);
    if (!storage) throw new WeightsError('corrupt', `the storage key list names ${key}, which no tensor uses`);
    const count = new DataView(readRange(source, at, 8, `the size of storage ${key}`).slice().buffer).getBigInt64(0, true);
    if (count < 0n || count > BigInt(Number.MAX_SAFE_INTEGER)) throw new WeightsError('corrupt', `storage ${key} has element count ${count}`);
    const elements = Number(count);
    located.set(key, { fileOffset: at + 8, elements });
    at += 8 + elements * bytesPerElement[storage.dtype];
  }
  return makeReader(source, collectTensors(object.value), (storage) => {
    const where = located.get(storage.key);
    if (!where) throw new WeightsError('corrupt', `storage ${storage.key} is used by a tensor but missing from the storage key list`);
    return where;
  });
}

/** Reads a PyTorch checkpoint (zip or legacy format); the pickle at once, tensors on demand. */
export function openTorchCheckpoint(source: ByteSource): TensorReader {
  if (source.size === 0) throw new WeightsError('truncated', 'the file is empty');
  if (isZip(source)) return openZip(source);
  const head = readRange(source, 0, Math.min(source.size, 512), 'the file signature');
  if (head[0] === 0x80) return openLegacy(source);
  const text = new TextDecoder('latin1').decode(head);
  if (text.startsWith('version https://git-lfs')) {
    throw new WeightsError('truncated', 'the file is a Git LFS pointer, not the weights: the download fetched the pointer only (run git lfs pull)');
  }
  if (head.length >= 262 && text.slice(257, 262) === 'ustar') throw new WeightsError('unsupported', 'the checkpoint is in the tar format of PyTorch before 0.4, which is not supported');
  if (text.startsWith('\x89HDF')) throw new WeightsError('unsupported', 'the file is a TensorFlow/Keras HDF5 checkpoint, not a PyTorch one');
  throw new WeightsError('corrupt', 'the file is neither a zip archive nor a pickle, so it is not a PyTorch checkpoint');
}
