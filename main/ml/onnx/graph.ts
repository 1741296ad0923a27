// A small writer of ONNX graphs (onnx.proto's ModelProto, encoded by onnx-proto's protobufjs
// bindings): initializers as little-endian raw_data, nodes with generated output names, inputs and
// outputs with symbolic (dynamic) axes. Opset 17, the first with LayerNormalization.
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// A CommonJS module whose exports Node's ESM loader cannot list: reached through its default export.
const { onnx } = onnxProto;

export const opsetVersion = 17;
/** IR version 8 is the one that goes with opset 17 (ONNX 1.12). */
const irVersion = 8;

const { DataType, DataLocation } = onnx.TensorProto;

/** Initializers of at least this many bytes go to the external data file (onnx's convert_model_to_external_data default). */
export const externalThreshold = 1024;
/**
 * Initializer bytes above which a model is written with external data: a protobuf message cannot
 * exceed 2 GiB (protobufjs would still encode it; onnxruntime's parser refuses it), so the weights of a
 * larger model (XLM-RoBERTa large: 2.24 GB) go to a side file. 1.8 GiB leaves room for the rest.
 */
export const externalDataLimit = Math.floor(1.8 * 2 ** 30);
/** A protobuf message's hard limit. */
export const protobufLimit = 2 ** 31 - 1;

/** Where an external tensor starts in the data file: 64 KiB (Windows' mapping granularity) for those over 1 MiB, as onnx aligns them, else 4 KiB. */
function align(offset: number, length: number): number {
  const to = length > 2 ** 20 ? 65536 : 4096;
  return Math.ceil(offset / to) * to;
}

/** One tensor's bytes at its offset in the external data file. */
export interface DataChunk {
  name: string;
  /** The side file it is in. */
  location: string;
  offset: number;
  bytes: Uint8Array;
}

/** A ModelProto whose large initializers live in a side file: the graph's bytes and the side file's contents. */
export interface ExternalModel {
  graph: Uint8Array;
  /** The side files' tensors, in order. */
  chunks: DataChunk[];
  /** The longest side file's length (the one side file's, when there is one). */
  dataLength: number;
}
const { AttributeType } = onnx.AttributeProto;

export type Dim = number | string;
export type ElemType = 'float32' | 'int64';

export type Attr = number | number[] | { float: number } | { ints: number[] } | string;

const elemTypes: Record<ElemType, number> = { float32: DataType.FLOAT, int64: DataType.INT64 };

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The bytes of a typed array in little-endian order (ONNX's raw_data layout). */
function rawBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndian) return bytes;
  const out = new Uint8Array(bytes.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j];
  return out;
}

function attribute(name: string, value: Attr): OnnxTypes.IAttributeProto {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INTS, ints: value.ints };
}

function valueInfo(name: string, type: ElemType, dims: readonly Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: elemTypes[type], shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** A ModelProto's bytes decoded (tests read the graphs written back). */
export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** TensorProto.data_location of a tensor in an external data file. */
export const dataLocationExternal: number = DataLocation.EXTERNAL;

export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly constants = new Map<string, string>();
  private next = 0;

  input(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Names `value` as a graph output (through an Identity when it must carry another name). */
  output(name: string, value: string, type: ElemType, dims: readonly Dim[]): void {
    if (value !== name) this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `${name}/Identity` });
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A weight tensor (kept as the data given; the builder does not copy it). */
  initializer(name: string, data: Float32Array | BigInt64Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new Error(`initializer ${name}: ${data.length} values for shape [${dims}]`);
    this.initializers.push({ name, dims: [...dims], dataType: data instanceof Float32Array ? DataType.FLOAT : DataType.INT64, rawData: rawBytes(data) });
    return name;
  }

  /** A small constant (one per value and shape); a scalar when dims is []. */
  constant(values: readonly number[], type: ElemType, dims: readonly number[] = [values.length]): string {
    const key = `${type}:${dims.join('x')}:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = `const_${this.constants.size}`;
    this.initializer(name, type === 'float32' ? Float32Array.from(values) : BigInt64Array.from(values.map((v) => BigInt(v))), dims);
    this.constants.set(key, name);
    return name;
  }

  /** One node; returns its (first) output's name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attr> = {}, outputs = 1): string {
    const id = this.next++;
    const output = Array.from({ length: outputs }, (_, i) => `${opType.toLowerCase()}_${id}${i ? `_${i}` : ''}`);
    this.nodes.push({ opType, name: `${opType}_${id}`, input: [...inputs], output, attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
    return output[0];
  }

  /** The bytes all initializers hold (raw_data), what decides between one file and external data. */
  initializerBytes(): number {
    return this.initializers.reduce((sum, t) => sum + (t.rawData?.length ?? 0), 0);
  }

  /** The ModelProto's bytes, every initializer inside (under 2 GiB of them only). */
  encode(graphName: string, docString = ''): Uint8Array {
    const bytes = this.initializerBytes();
    if (bytes > protobufLimit) throw new RangeError(`${bytes} bytes of initializers do not fit in one protobuf message (2 GiB): write the graph with external data (writeOnnx)`);
    return this.model(graphName, docString, this.initializers);
  }

  /**
   * The ModelProto with each initializer of `threshold` bytes or more moved to external data:
   * data_location EXTERNAL and external_data location, offset, length, as onnx's
   * save_model(save_as_external_data=True) writes them. `location` is the one side file's name
   * (relative to the model's folder), or names each tensor's own file (onnxruntime's externalData
   * session option, a model built in memory). The tensors' bytes are not copied: `chunks` are views
   * of the weights, in order.
   */
  encodeExternal(graphName: string, docString: string, location: string | ((index: number) => string), threshold = externalThreshold): ExternalModel {
    const chunks: DataChunk[] = [];
    const ends = new Map<string, number>();
    const initializers = this.initializers.map((t): OnnxTypes.ITensorProto => {
      const bytes = t.rawData as Uint8Array;
      if (bytes.length < threshold) return t;
      const file = typeof location === 'string' ? location : location(chunks.length);
      const offset = align(ends.get(file) ?? 0, bytes.length);
      chunks.push({ name: t.name!, location: file, offset, bytes });
      ends.set(file, offset + bytes.length);
      const externalData = [
        { key: 'location', value: file },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.length) },
      ];
      return { name: t.name, dims: t.dims, dataType: t.dataType, dataLocation: DataLocation.EXTERNAL, externalData };
    });
    return { graph: this.model(graphName, docString, initializers), chunks, dataLength: Math.max(0, ...ends.values()) };
  }

  private model(graphName: string, docString: string, initializers: OnnxTypes.ITensorProto[]): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion,
      opsetImport: [{ domain: '', version: opsetVersion }],
      producerName: 'Shirabe',
      docString,
      graph: { name: graphName, node: this.nodes, initializer: initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
