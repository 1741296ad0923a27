/** The WebAssembly backend's heap: a wasm32 memory holds at most 4 GiB, and every tensor lives in it. */
export const wasmHeapBytes = 4 * 1024 ** 3;
