// What the model code needs from a checkpoint, whatever its format (safetensors, sharded
// safetensors, PyTorch pickle): names, dtypes and shapes up front, float32 data on demand.
// main/ml never touches fs, so bytes come through a ByteSource that main/ backs with a file.

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws if the source is shorter (a truncated file). */
  read(offset: number, length: number): Uint8Array;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read(offset, length) {
      if (offset < 0 || offset + length > bytes.byteLength) throw new RangeError(`read of ${length} bytes at ${offset} past the end (${bytes.byteLength} bytes)`);
      return bytes.subarray(offset, offset + length);
    },
  };
}

export interface CheckpointTensor {
  name: string;
  /** The stored dtype as the format names it: F32, F16, BF16, F64, I64, I32, … */
  dtype: string;
  shape: number[];
}

export interface TensorReader {
  /** Every tensor in the checkpoint, by name. */
  readonly tensors: ReadonlyMap<string, CheckpointTensor>;
  /** The tensor's values converted to float32, row-major in `shape`. */
  read(name: string): Float32Array;
}
