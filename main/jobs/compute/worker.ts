// The compute worker: one long-lived worker_thread that owns the ML runtime (the native
// TensorFlow backend must live in one thread only). dispatcher.ts does the work; this entry
// (bundled as dist/computeWorker.cjs) connects it to the thread's port.
import { parentPort } from 'node:worker_threads';
import { createDispatcher } from './dispatcher';
import type { ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('the compute worker must run in a worker thread');

const dispatcher = createDispatcher({ post: (message, transfer = []) => port.postMessage(message, transfer) });
port.on('message', (msg: ToWorker) => dispatcher.handle(msg));
