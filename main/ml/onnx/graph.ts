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

const { DataType } = onnx.TensorProto;
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

  /** The ModelProto's bytes. */
  encode(graphName: string, docString = ''): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion,
      opsetImport: [{ domain: '', version: opsetVersion }],
      producerName: 'Shirabe',
      docString,
      graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
