// Writes a GraphBuilder's model (main/ml/onnx) to disk: one .onnx file while its initializers fit well inside a
// protobuf message, else the graph plus an external data file (`model.onnx.data` beside
// `model.onnx`) holding every initializer of 1 KiB or more, written tensor by tensor in bounded
// slices (never one buffer of the whole model, never through protobufjs). onnxruntime reads the
// side file when the session is created from the graph's path (relative to the graph's folder).
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { EncoderModel } from '../../ml/models/index';
import { encoderGraphBuilder, type EncoderGraphOutputs } from '../../ml/onnx/encoderGraph';
import { externalDataLimit, externalThreshold, type GraphBuilder } from '../../ml/onnx/graph';

export interface WriteOnnxOptions {
  /** Initializer bytes above which the weights go to a side file (default externalDataLimit, 1.8 GiB; tests force it small). */
  limit?: number;
  /** The smallest initializer moved to the side file (default 1 KiB). */
  threshold?: number;
  /** The side file's name as the graph records it, relative to the graph's folder (default `<graph file>.data`). */
  location?: string;
  /** Where the side file is written, when not under its final name (a temporary name renamed later). */
  dataPath?: string;
}

export interface OnnxWritten {
  /** The graph file's bytes. */
  graphBytes: number;
  /** The side file's path as written (null when the model is one file) and its bytes. */
  dataPath: string | null;
  dataBytes: number;
  /** The side file's name recorded in the graph (null when the model is one file). */
  location: string | null;
}

/** Written at most this many bytes at a time. */
const slice = 64 * 2 ** 20;

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    const n = Math.min(slice, bytes.length - done);
    let wrote = 0;
    while (wrote < n) wrote += writeSync(fd, bytes, done + wrote, n - wrote, position + done + wrote);
    done += n;
  }
}

/** Writes each chunk at its offset to a new file `path` (replacing one there); gaps are zeros. */
function writeFile(path: string, chunks: { offset: number; bytes: Uint8Array }[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const c of chunks) writeAll(fd, c.bytes, c.offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the model to `path` (its graph), with external data when its initializers exceed the
 * limit. The side file is written first, so a graph on disk never names a side file that is not.
 */
export function writeOnnx(g: GraphBuilder, path: string, graphName: string, docString = '', options: WriteOnnxOptions = {}): OnnxWritten {
  const limit = options.limit ?? externalDataLimit;
  if (g.initializerBytes() <= limit) {
    const bytes = g.encode(graphName, docString);
    writeFile(path, [{ offset: 0, bytes }]);
    return { graphBytes: bytes.length, dataPath: null, dataBytes: 0, location: null };
  }
  const location = options.location ?? `${basename(path)}.data`;
  const dataPath = options.dataPath ?? `${path.slice(0, path.length - basename(path).length)}${location}`;
  const model = g.encodeExternal(graphName, docString, location, options.threshold ?? externalThreshold);
  writeFile(dataPath, model.chunks);
  try {
    writeFile(path, [{ offset: 0, bytes: model.graph }]);
  } catch (err) {
    try {
      unlinkSync(dataPath);
    } catch {
      // already gone
    }
    throw err;
  }
  return { graphBytes: model.graph.length, dataPath, dataBytes: model.dataLength, location };
}

/**
 * Writes the graph of encoderGraph to `path`, its weights in the external data file beside it
 * (`<file>.data`, or options.location) when they exceed options.limit (default 1.8 GiB).
 */
export function writeEncoderGraph(model: EncoderModel, outputs: EncoderGraphOutputs, path: string, options: WriteOnnxOptions = {}, name = 'encoder'): OnnxWritten {
  const { g, doc } = encoderGraphBuilder(model, outputs);
  return writeOnnx(g, path, name, doc, options);
}
