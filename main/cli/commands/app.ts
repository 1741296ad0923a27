// `shirabe serve`: the app in a browser, over the local WebSocket server.
import { join } from 'node:path';
import { startServer } from '../../server/server';
import { cudaReport } from '../../services/cuda';
import { parseInteger } from '../parse';
import type { RegisterCommands } from '../shared';

export const appCommands: RegisterCommands = (program, { call, print, t, io, services }) => {
  program
    .command('doctor')
    .description('start the compute worker and say which backend it runs on, which others it passed over and why, what runs inference, and which NVIDIA driver, CUDA and cuDNN versions are installed (what tfjs-node-gpu and onnxruntime\'s CUDA provider each lack)')
    .option('--json', 'print the compute status as JSON')
    .action(async (o: { json?: boolean }) => {
      // The CUDA probe reads files and asks nvidia-smi (a few seconds at most), never loads a CUDA library.
      const [status, cuda] = await Promise.all([services().compute.warmUp(), cudaReport()]);
      print(Boolean(o.json), { ...status, cuda }, () => `${t.doctor(status)}\n${t.doctorCuda(cuda)}`);
    });

  program
    .command('serve')
    .description('open the UI in a browser: serves on 127.0.0.1 with a per-launch token')
    .argument('[project]', 'project to open (optional: the UI can create or open one)')
    .option('--port <p>', 'port (default: any free port)', '0')
    .option('--json', 'print {url, port, token} as JSON')
    .action(async (project: string | undefined, o: { port: string; json?: boolean }) => {
      if (project) await call('project.open', { path: project });
      const server = await startServer({
        services: services(),
        staticDir: join(io.root, 'dist', 'renderer'),
        port: parseInteger(o.port, 'invalidRequest'),
      });
      print(Boolean(o.json), { url: server.url, port: server.port, token: server.token }, () => t.serving(server.url));
      await (io.untilStopped ?? waitForSignal)();
      await server.close();
    });
};

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}
