// Writing safetensors (format spec in the safetensors repository's README), the inverse of
// safetensors.ts, for exporting models that Hugging Face tools load. Float32 only: everything
// the model library holds is float32, and writing it unconverted keeps an export exact.
//
// Tensors are laid out sorted by name (by code point, i.e. by UTF-8 bytes), header and data in
// the same order, which is what the Python/Rust writer does for tensors of one dtype (it sorts
// by dtype alignment, then name): the same tensors and metadata give the same bytes as
// safetensors.torch.save_file, so an export is reproducible whatever order it was built in.
// Pure: bytes out, the caller writes the file.

export interface WritableTensor {
  shape: number[];
  data: Float32Array;
}

/** Code-point order (= UTF-8 byte order, Rust's String order); JS's `<` compares UTF-16 units instead. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A safetensors file of F32 tensors: an 8-byte little-endian header length, the JSON header
 * ({"__metadata__": …, name: {dtype, shape, data_offsets}}, padded with spaces so the data
 * starts 8-byte aligned, as the spec requires) and the little-endian data.
 */
export function encodeSafetensors(tensors: Iterable<[string, WritableTensor]>, metadata?: Record<string, string>): Uint8Array {
  const entries = [...tensors].sort(([a], [b]) => byCodePoint(a, b));
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new TypeError(`metadata ${k} must be a string (the format allows only strings)`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new Error('"__metadata__" cannot name a tensor');
    if (Object.prototype.hasOwnProperty.call(header, name)) throw new Error(`tensor ${name} is given twice`);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new Error(`tensor ${name}: bad shape [${t.shape.join(', ')}]`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) throw new Error(`tensor ${name}: ${t.data.length} values for shape [${t.shape.join(', ')}], which needs ${count}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, t] of entries) {
    if (littleEndianHost) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else {
      const view = new DataView(out.buffer, at, t.data.byteLength);
      t.data.forEach((v, i) => view.setFloat32(4 * i, v, true));
    }
    at += t.data.byteLength;
  }
  return out;
}
