import { describe, expect, it } from 'vitest';
import { describeCudaNeeds, probeCuda, systemProbeDeps, type CudaProbeDeps } from './cudaProbe';

/** A fake machine: files with their text, folders listed from the files' paths, commands with their output. */
function fake(platform: NodeJS.Platform, files: Record<string, string>, commands: Record<string, string> = {}, env: Record<string, string> = {}): CudaProbeDeps & { ran: string[] } {
  const ran: string[] = [];
  return {
    platform,
    env,
    ran,
    readFile: (p) => files[p] ?? null,
    listDir: (dir) => {
      const prefix = dir.endsWith('/') || dir.endsWith('\\') ? dir : `${dir}${platform === 'win32' ? '\\' : '/'}`;
      const names = Object.keys(files)
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length).split(/[\\/]/)[0]);
      return names.length ? [...new Set(names)] : null;
    },
    run: async (cmd) => {
      ran.push(cmd);
      return commands[cmd] ?? null;
    },
  };
}

const proc535 = 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n';
const smi = '535.104.05, NVIDIA GeForce RTX 3060, 12288\n';
const consumer = (r: Awaited<ReturnType<typeof probeCuda>>, c: 'tfjs-node-gpu' | 'onnxruntime-cuda') => r.consumers.find((x) => x.consumer === c)!;

describe('probeCuda', () => {
  it('nothing installed: the driver and every library are missing, for both consumers', async () => {
    const deps = fake('linux', {});
    const r = await probeCuda(deps);
    expect(r.driver).toBeNull();
    expect(r.libraries).toEqual([]);
    for (const c of ['tfjs-node-gpu', 'onnxruntime-cuda'] as const) {
      expect(consumer(r, c).ready).toBe(false);
      expect(consumer(r, c).missing.map((m) => m.what)).toEqual(['driver', 'cudart', 'cublas', 'cudnn']);
    }
    // nvidia-smi is asked (it fails at once where it is absent); WSL's is looked for only where it is.
    expect(deps.ran).toEqual(['nvidia-smi', 'ldconfig', '/sbin/ldconfig']);
    expect(describeCudaNeeds(r, 'tfjs-node-gpu')).toBe(
      'missing for tfjs-node-gpu (CUDA 11.2, cuDNN 8.1): NVIDIA driver ≥ 450.80.02 (found: none); CUDA runtime 11.2 (found: none); cuBLAS 11 (found: none); cuDNN 8.1 (found: none)',
    );
  });

  it('driver only: its version and the GPU from nvidia-smi, every library missing', async () => {
    const r = await probeCuda(fake('linux', { '/proc/driver/nvidia/version': proc535 }, { 'nvidia-smi': smi }));
    expect(r.driver).toEqual({ version: '535.104.05', source: 'proc', gpus: [{ name: 'NVIDIA GeForce RTX 3060', memoryMiB: 12288 }] });
    expect(consumer(r, 'onnxruntime-cuda').missing.map((m) => m.what)).toEqual(['cudart', 'cublas', 'cudnn']);
    expect(consumer(r, 'tfjs-node-gpu').missing.map((m) => m.what)).toEqual(['cudart', 'cublas', 'cudnn']);
  });

  it('CUDA 12 and cuDNN 9: onnxruntime is ready; tfjs-node-gpu lacks CUDA 11 and cuDNN 8, and is told what was found instead', async () => {
    const r = await probeCuda(
      fake(
        'linux',
        {
          '/proc/driver/nvidia/version': proc535,
          '/usr/local/cuda-12.4/lib64/libcudart.so.12': '',
          '/usr/local/cuda-12.4/lib64/libcudart.so.12.4.127': '',
          '/usr/local/cuda-12.4/lib64/libcublas.so.12': '',
          '/usr/local/cuda-12.4/version.json': JSON.stringify({ cuda: { name: 'CUDA SDK', version: '12.4.1' }, cuda_cudart: { version: '12.4.127' } }),
          '/usr/include/x86_64-linux-gnu/cudnn_version_v9.h': '#define CUDNN_MAJOR 9\n#define CUDNN_MINOR 1\n#define CUDNN_PATCHLEVEL 0\n',
        },
        { ldconfig: '\tlibcudnn.so.9 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.9\n\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n' },
      ),
    );
    expect(consumer(r, 'onnxruntime-cuda')).toMatchObject({ ready: true, missing: [] });
    const tfjs = consumer(r, 'tfjs-node-gpu');
    expect(tfjs.ready).toBe(false);
    expect(tfjs.missing).toEqual([
      { what: 'cudart', need: '11.2', found: ['12', '12.4.127'] },
      { what: 'cublas', need: '11', found: ['12'] },
      { what: 'cudnn', need: '8.1', found: ['9', '9.1.0'] },
    ]);
    expect(r.libraries).toContainEqual({ name: 'cudnn', version: '9', path: '/usr/lib/x86_64-linux-gnu/libcudnn.so.9' });
  });

  it('CUDA 11.2 and cuDNN 8.1 on LD_LIBRARY_PATH: tfjs-node-gpu is ready, onnxruntime lacks CUDA 12 and cuDNN 9', async () => {
    const r = await probeCuda(
      fake(
        'linux',
        {
          '/proc/driver/nvidia/version': 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.82.01  Tue Oct 26 2021\n',
          '/opt/cuda/lib64/libcudart.so.11.0': '',
          '/opt/cuda/lib64/libcudart.so.11.2.152': '',
          '/opt/cuda/lib64/libcublas.so.11': '',
          '/opt/cudnn/lib/libcudnn.so.8': '',
          '/opt/cudnn/lib/libcudnn.so.8.1.0': '',
        },
        {},
        { LD_LIBRARY_PATH: '/opt/cuda/lib64:/opt/cudnn/lib' },
      ),
    );
    expect(consumer(r, 'tfjs-node-gpu')).toMatchObject({ ready: true, missing: [] });
    // The driver is too old for CUDA 12 as well.
    expect(consumer(r, 'onnxruntime-cuda').missing).toEqual([
      { what: 'driver', need: '525.60.13', found: ['470.82.01'] },
      { what: 'cudart', need: '12', found: ['11', '11.2.152'] },
      { what: 'cublas', need: '12', found: ['11'] },
      { what: 'cudnn', need: '9', found: ['8', '8.1.0'] },
    ]);
  });

  it('CUDA 11.0 and cuDNN 8.0 are too old for tfjs-node-gpu, and say so', async () => {
    const r = await probeCuda(
      fake('linux', {
        '/proc/driver/nvidia/version': proc535,
        '/usr/local/cuda/lib64/libcudart.so.11.0.221': '',
        '/usr/local/cuda/lib64/libcublas.so.11': '',
        '/usr/local/cuda/lib64/libcudnn.so.8.0.5': '',
      }),
    );
    expect(consumer(r, 'tfjs-node-gpu').missing).toEqual([
      { what: 'cudart', need: '11.2', found: ['11.0.221'] },
      { what: 'cudnn', need: '8.1', found: ['8.0.5'] },
    ]);
  });

  it('WSL: no /proc/driver/nvidia, the driver from /usr/lib/wsl/lib/nvidia-smi', async () => {
    const r = await probeCuda(fake('linux', { '/usr/lib/wsl/lib/nvidia-smi': '', '/usr/lib/wsl/lib/libcuda.so.1': '' }, { '/usr/lib/wsl/lib/nvidia-smi': '560.35.02, NVIDIA GeForce RTX 4070, 12282\n' }));
    expect(r.driver).toEqual({ version: '560.35.02', source: 'nvidia-smi', gpus: [{ name: 'NVIDIA GeForce RTX 4070', memoryMiB: 12282 }] });
    expect(consumer(r, 'onnxruntime-cuda').missing.map((m) => m.what)).toEqual(['cudart', 'cublas', 'cudnn']);
  });

  it('Windows: the DLLs on PATH and CUDA_PATH, the driver from nvidia-smi', async () => {
    const r = await probeCuda(
      fake(
        'win32',
        {
          'C:\\CUDA\\v12.4\\bin\\cudart64_12.dll': '',
          'C:\\CUDA\\v12.4\\bin\\cublas64_12.dll': '',
          'C:\\Program Files\\NVIDIA\\CUDNN\\v9.1\\bin\\12.4\\cudnn64_9.dll': '',
          'C:\\tf\\cudart64_110.dll': '',
        },
        { 'nvidia-smi.exe': '551.86, NVIDIA RTX A2000, 6138\n' },
        { CUDA_PATH: 'C:\\CUDA\\v12.4', PATH: 'C:\\Windows;C:\\tf' },
      ),
    );
    expect(r.driver?.version).toBe('551.86');
    expect(consumer(r, 'onnxruntime-cuda').ready).toBe(true);
    expect(consumer(r, 'tfjs-node-gpu').missing.map((m) => [m.what, m.found])).toEqual([
      ['cublas', ['12']],
      ['cudnn', ['9']],
    ]);
  });

  it('macOS: no CUDA at all, and nothing is run', async () => {
    const deps = fake('darwin', {});
    const r = await probeCuda(deps);
    expect(deps.ran).toEqual([]);
    expect(consumer(r, 'tfjs-node-gpu').missing).toEqual([{ what: 'platform', need: 'linux, win32', found: ['darwin'] }]);
  });

  it('the real system answers quickly, whatever is installed (CI has no GPU)', async () => {
    const started = Date.now();
    const r = await probeCuda(systemProbeDeps(), 2000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.consumers).toHaveLength(2);
  });

  it('a command that hangs is given up after the timeout', async () => {
    const deps = systemProbeDeps();
    const started = Date.now();
    expect(await deps.run(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], 300)).toBeNull();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('the tensorflow-gpu skip reason', () => {
  it('names what the probe found missing when tfjs-node-gpu fails to load, and stays loadFailed when CUDA is all there', async () => {
    const { failureOf } = await import('./backends');
    const err = new Error('libcudnn.so.8: cannot open shared object file: No such file or directory\n  at …');
    const none = await probeCuda(fake('linux', { '/proc/driver/nvidia/version': proc535, '/usr/local/cuda/lib64/libcudart.so.11.2.152': '', '/usr/local/cuda/lib64/libcublas.so.11': '' }));
    const f = failureOf(err, '@tensorflow/tfjs-node-gpu', none);
    expect(f.code).toBe('cudaMissing');
    expect(f.reason).toBe(
      '@tensorflow/tfjs-node-gpu failed to load: libcudnn.so.8: cannot open shared object file: No such file or directory; missing for tfjs-node-gpu (CUDA 11.2, cuDNN 8.1): cuDNN 8.1 (found: none)',
    );
    const all = await probeCuda(fake('linux', { '/proc/driver/nvidia/version': proc535, '/l/libcudart.so.11.2.152': '', '/l/libcublas.so.11': '', '/l/libcudnn.so.8.1.1': '' }, {}, { LD_LIBRARY_PATH: '/l' }));
    expect(failureOf(err, '@tensorflow/tfjs-node-gpu', all).code).toBe('loadFailed');
    expect(failureOf(Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node-gpu'"), { code: 'MODULE_NOT_FOUND' }), '@tensorflow/tfjs-node-gpu', none).code).toBe('notInstalled');
  });
});
