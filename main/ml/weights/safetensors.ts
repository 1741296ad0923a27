// safetensors (Hugging Face's format; spec in the safetensors repository's README): an
// 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the raw little-endian tensor bytes. Pure bytes in, Float32Arrays out: the caller reads
// the file (main/ml never touches fs). `openSafetensors` reads only the header up front and
// each tensor's bytes when asked, so a multi-gigabyte file is never held whole.
import { WeightsError, type WeightsErrorKind } from './errors';
import type { ByteSource, CheckpointTensor, TensorReader } from './types';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface TensorInfo {
  dtype: SafetensorsDtype;
  shape: number[];
  /** [begin, end) in the data section that follows the header. */
  offsets: [number, number];
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file. */
  dataStart: number;
}

/** A WeightsError from the safetensors parser (kept as its own class for existing callers). */
export class SafetensorsError extends WeightsError {
  constructor(message: string, kind: WeightsErrorKind = 'corrupt') {
    super(kind, message);
    this.name = 'SafetensorsError';
  }
}

export const bytesPerElement: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export function isSafetensorsDtype(dtype: string): dtype is SafetensorsDtype {
  return Object.prototype.hasOwnProperty.call(bytesPerElement, dtype);
}

/** Headers larger than this are refused (the reference implementation's limit is 100 MB). */
const maxHeaderBytes = 100_000_000;

function readHeaderLength(first8: Uint8Array, fileSize: number): number {
  const length = Number(new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true));
  if (length > maxHeaderBytes) throw new SafetensorsError(`header length ${length} is implausible: not a safetensors file`);
  if (8 + length > fileSize) {
    throw new SafetensorsError(`header of ${length} bytes runs past the end of the file (truncated?): needs bytes 8–${8 + length} but the file has ${fileSize} bytes`, 'truncated');
  }
  return length;
}

/** Parses the JSON header; `fileSize` is the whole file's size, for the bounds checks. */
function parseHeaderJson(json: Uint8Array, fileSize: number): SafetensorsHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SafetensorsError('header is not a JSON object');
  const dataStart = 8 + json.length;
  const dataLength = fileSize - dataStart;
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) metadata = value as Record<string, string>;
      continue;
    }
    if (typeof value !== 'object' || value === null) throw new SafetensorsError(`${name}: header entry is not an object`);
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof v.dtype !== 'string' || !isSafetensorsDtype(v.dtype)) throw new SafetensorsError(`${name}: unsupported dtype ${String(v.dtype)}`, 'unsupported');
    if (!Array.isArray(v.shape) || !v.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new SafetensorsError(`${name}: bad shape ${JSON.stringify(v.shape)}`);
    if (!Array.isArray(v.data_offsets) || v.data_offsets.length !== 2) throw new SafetensorsError(`${name}: bad data_offsets ${JSON.stringify(v.data_offsets)}`);
    const [begin, end] = v.data_offsets as unknown[];
    const dtype = v.dtype;
    const shape = v.shape as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    if (!(Number.isSafeInteger(begin) && Number.isSafeInteger(end) && (begin as number) >= 0 && (end as number) >= (begin as number))) {
      throw new SafetensorsError(`${name}: bad data_offsets ${JSON.stringify(v.data_offsets)}`);
    }
    const b = begin as number;
    const e = end as number;
    if (e - b !== count * bytesPerElement[dtype]) {
      throw new SafetensorsError(`${name}: ${e - b} bytes for shape [${shape.join(', ')}] of ${dtype}, which needs ${count * bytesPerElement[dtype]}`);
    }
    if (e > dataLength) {
      throw new SafetensorsError(
        `${name}: data runs past the end of the file (truncated?): needs bytes ${dataStart + b}–${dataStart + e} but the file has ${fileSize} bytes`,
        'truncated',
      );
    }
    tensors.set(name, { dtype, shape, offsets: [b, e] });
  }
  return { tensors, metadata, dataStart };
}

export function parseHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < 8) throw new SafetensorsError(`file is shorter than the 8-byte header length (${bytes.length} bytes)`, 'truncated');
  const length = readHeaderLength(bytes.subarray(0, 8), bytes.length);
  return parseHeaderJson(bytes.subarray(8, 8 + length), bytes.length);
}

/** IEEE 754 half precision to float32, subnormals, infinities and NaN included. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

// Every half value widened once (256 KB), so a large F16 checkpoint converts by table lookup.
let halfTable: Float32Array | undefined;
function halfLookup(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfToFloat(h);
  }
  return halfTable;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Little-endian elements of `dtype` to float32: F16 and BF16 widened exactly (bfloat16 is the
 * top half of a float32), F64 rounded to nearest, integers converted (exact up to 2^24).
 */
export function decodeFloat32(bytes: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const size = bytesPerElement[dtype];
  if (bytes.length % size !== 0) throw new SafetensorsError(`${bytes.length} bytes is not a whole number of ${dtype} elements`);
  const n = bytes.length / size;
  const out = new Float32Array(n);
  if (littleEndianHost) {
    // Typed-array views need aligned offsets, so work on an aligned copy.
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const buf = aligned.buffer;
    const at = aligned.byteOffset;
    switch (dtype) {
      case 'F32': new Uint8Array(out.buffer).set(bytes); return out;
      case 'F16': { const t = halfLookup(); const h = new Uint16Array(buf, at, n); for (let i = 0; i < n; i++) out[i] = t[h[i]]; return out; }
      case 'BF16': { const h = new Uint16Array(buf, at, n); const u = new Uint32Array(out.buffer); for (let i = 0; i < n; i++) u[i] = h[i] << 16; return out; }
      case 'F64': out.set(new Float64Array(buf, at, n)); return out;
      case 'I64': { const v = new BigInt64Array(buf, at, n); for (let i = 0; i < n; i++) out[i] = Number(v[i]); return out; }
      case 'I32': out.set(new Int32Array(buf, at, n)); return out;
      case 'I16': out.set(new Int16Array(buf, at, n)); return out;
      case 'I8': out.set(new Int8Array(buf, at, n)); return out;
      case 'U8': case 'BOOL': out.set(bytes); return out;
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'F32': out[i] = view.getFloat32(i * 4, true); break;
      case 'F16': out[i] = halfToFloat(view.getUint16(i * 2, true)); break;
      case 'BF16': out[i] = new Float32Array(new Uint32Array([view.getUint16(i * 2, true) << 16]).buffer)[0]; break;
      case 'F64': out[i] = view.getFloat64(i * 8, true); break;
      case 'I64': out[i] = Number(view.getBigInt64(i * 8, true)); break;
      case 'I32': out[i] = view.getInt32(i * 4, true); break;
      case 'I16': out[i] = view.getInt16(i * 2, true); break;
      case 'I8': out[i] = view.getInt8(i); break;
      case 'U8': case 'BOOL': out[i] = view.getUint8(i); break;
    }
  }
  return out;
}

/** A tensor's values as float32 (F16 and BF16 widened exactly; F64 and integers converted). */
export function readTensor(bytes: Uint8Array, header: SafetensorsHeader, name: string): { shape: number[]; data: Float32Array } {
  const info = header.tensors.get(name);
  if (!info) throw new SafetensorsError(`no tensor named ${name}`, 'unsupported');
  const start = header.dataStart + info.offsets[0];
  return { shape: info.shape, data: decodeFloat32(bytes.subarray(start, header.dataStart + info.offsets[1]), info.dtype) };
}

/** Reads `length` bytes at `offset`, as a WeightsError naming `what` if the source is shorter. */
export function readRange(source: ByteSource, offset: number, length: number, what: string): Uint8Array {
  if (offset < 0 || offset + length > source.size) {
    throw new WeightsError('truncated', `${what} needs bytes ${offset}–${offset + length} but the file has ${source.size} bytes`);
  }
  try {
    return source.read(offset, length);
  } catch (err) {
    if (err instanceof RangeError) throw new WeightsError('truncated', `${what} needs bytes ${offset}–${offset + length}: ${err.message}`);
    throw err;
  }
}

/** A safetensors file read lazily: the header now, each tensor's bytes when asked. */
export function openSafetensors(source: ByteSource): TensorReader & { readonly metadata: Record<string, string> } {
  if (source.size < 8) throw new SafetensorsError(`file is shorter than the 8-byte header length (${source.size} bytes)`, 'truncated');
  const length = readHeaderLength(readRange(source, 0, 8, 'the header length'), source.size);
  const header = parseHeaderJson(readRange(source, 8, length, 'the header'), source.size);
  const tensors = new Map<string, CheckpointTensor>();
  for (const [name, info] of header.tensors) tensors.set(name, { name, dtype: info.dtype, shape: info.shape });
  return {
    tensors,
    metadata: header.metadata,
    read(name) {
      const info = header.tensors.get(name);
      if (!info) throw new SafetensorsError(`no tensor named ${name}`, 'unsupported');
      const [begin, end] = info.offsets;
      return decodeFloat32(readRange(source, header.dataStart + begin, end - begin, `tensor ${name}`), info.dtype);
    },
  };
}
