// safetensors (Hugging Face's format; spec in the safetensors repository's README): an
// 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the raw little-endian tensor bytes. Pure bytes in, Float32Arrays out: the caller reads
// the file (main/ml never touches fs).

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

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const bytesPer: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** Headers larger than this are refused (the reference implementation's limit is 100 MB). */
const maxHeaderBytes = 100_000_000;

export function parseHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < 8) throw new SafetensorsError('file is shorter than the 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  if (length > maxHeaderBytes) throw new SafetensorsError(`header length ${length} is implausible: not a safetensors file`);
  if (8 + length > bytes.length) throw new SafetensorsError(`header of ${length} bytes runs past the end of the file (truncated?)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length)));
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SafetensorsError('header is not a JSON object');
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  const dataLength = bytes.length - 8 - length;
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = value as Record<string, string>;
      continue;
    }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof v.dtype !== 'string' || !(v.dtype in bytesPer)) throw new SafetensorsError(`${name}: unsupported dtype ${String(v.dtype)}`);
    if (!Array.isArray(v.shape) || !v.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`${name}: bad shape`);
    if (!Array.isArray(v.data_offsets) || v.data_offsets.length !== 2) throw new SafetensorsError(`${name}: bad data_offsets`);
    const [begin, end] = v.data_offsets as number[];
    const dtype = v.dtype as SafetensorsDtype;
    const count = (v.shape as number[]).reduce((a, b) => a * b, 1);
    if (!(Number.isInteger(begin) && Number.isInteger(end) && begin >= 0 && end >= begin)) throw new SafetensorsError(`${name}: bad data_offsets`);
    if (end - begin !== count * bytesPer[dtype]) {
      throw new SafetensorsError(`${name}: ${end - begin} bytes for shape [${(v.shape as number[]).join(', ')}] of ${dtype}`);
    }
    if (end > dataLength) throw new SafetensorsError(`${name}: data runs past the end of the file (truncated?)`);
    tensors.set(name, { dtype, shape: v.shape as number[], offsets: [begin, end] });
  }
  return { tensors, metadata, dataStart: 8 + length };
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

/** A tensor's values as float32 (F16 and BF16 widened exactly; F64 and integers converted). */
export function readTensor(bytes: Uint8Array, header: SafetensorsHeader, name: string): { shape: number[]; data: Float32Array } {
  const info = header.tensors.get(name);
  if (!info) throw new SafetensorsError(`no tensor named ${name}`);
  const start = header.dataStart + info.offsets[0];
  const length = info.offsets[1] - info.offsets[0];
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, length);
  const n = length / bytesPer[info.dtype];
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    switch (info.dtype) {
      case 'F32': out[i] = view.getFloat32(i * 4, true); break;
      case 'F16': out[i] = halfToFloat(view.getUint16(i * 2, true)); break;
      // bfloat16 is the top half of a float32.
      case 'BF16': out[i] = new Float32Array(new Uint32Array([view.getUint16(i * 2, true) << 16]).buffer)[0]; break;
      case 'F64': out[i] = view.getFloat64(i * 8, true); break;
      case 'I64': out[i] = Number(view.getBigInt64(i * 8, true)); break;
      case 'I32': out[i] = view.getInt32(i * 4, true); break;
      case 'I16': out[i] = view.getInt16(i * 2, true); break;
      case 'I8': out[i] = view.getInt8(i); break;
      case 'U8': case 'BOOL': out[i] = view.getUint8(i); break;
    }
  }
  return { shape: info.shape, data: out };
}
