// The memory estimate lives in common/memory.ts (the renderer estimates an embedding batch with it
// from a ModelInfo); the model library reads it from here. Its fit and residuals are described
// there; memory.test.ts beside this file checks it against measured peaks.
export { activationFloats, floatsPerTrainable, inferenceBytes, optimizerFloatsPerTrainable, predictedShare, trainingBytes, wasmHeapBytes, type MemoryBatch, type MemoryShape, type MemoryWork } from '../../../common/memory';
