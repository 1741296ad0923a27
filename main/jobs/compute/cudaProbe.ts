// What of NVIDIA's stack is installed, found without loading libtensorflow or onnxruntime (either
// may abort the process when a library is missing): the driver (/proc/driver/nvidia/version, or
// nvidia-smi with a short timeout), and the CUDA runtime, cuBLAS and cuDNN libraries on the
// library path (LD_LIBRARY_PATH, ldconfig's cache, CUDA_PATH / CUDA_HOME, /usr/local/cuda*; PATH
// and CUDA_PATH\bin on Windows). For each consumer it says exactly what is missing:
// tfjs-node-gpu (libtensorflow 2.9) needs CUDA 11.2 and cuDNN 8.1; onnxruntime's CUDA provider
// needs CUDA 12 and cuDNN 9. Everything is injected (files, commands, environment) so the tests
// run on fake layouts, and nothing waits long where there is no GPU: a missing command fails at
// once, a hanging one is killed after `timeoutMs`.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { CudaConsumer, CudaConsumerReport, CudaLibrary, CudaLibraryName, CudaNeed, CudaReport } from '../../../common/contract';

export interface CudaProbeDeps {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** A file's text, null when it cannot be read. */
  readFile(path: string): string | null;
  /** A folder's entries, null when it is not a readable folder. */
  listDir(path: string): string[] | null;
  /** Runs a command without a shell; null when it cannot start, fails or outlives `timeoutMs`. */
  run(command: string, args: string[], timeoutMs: number): Promise<string | null>;
}

export const systemProbeDeps = (): CudaProbeDeps => ({
  platform: process.platform,
  env: process.env,
  readFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  listDir: (path) => {
    try {
      return existsSync(path) ? readdirSync(path) : null;
    } catch {
      return null;
    }
  },
  run: (command, args, timeoutMs) =>
    new Promise((resolve) => {
      try {
        execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 4 << 20 }, (err, stdout) => resolve(err ? null : String(stdout)));
      } catch {
        resolve(null);
      }
    }),
});

/** What each consumer needs: the major versions the libraries' names carry, and the least full version. */
export const cudaRequirements: Record<CudaConsumer, { cuda: string; cudnn: string; cudaMajor: number; cudnnMajor: number; cudaAtLeast: number[]; cudnnAtLeast: number[]; platforms: NodeJS.Platform[] }> = {
  // libtensorflow 2.9 (tfjs-node-gpu 4.x) opens libcudart.so.11.0, libcublas.so.11 and libcudnn.so.8.
  'tfjs-node-gpu': { cuda: '11.2', cudnn: '8.1', cudaMajor: 11, cudnnMajor: 8, cudaAtLeast: [11, 2], cudnnAtLeast: [8, 1], platforms: ['linux', 'win32'] },
  // onnxruntime-node's CUDA execution provider (1.20 and later) is built against CUDA 12 and cuDNN 9.
  'onnxruntime-cuda': { cuda: '12', cudnn: '9', cudaMajor: 12, cudnnMajor: 9, cudaAtLeast: [12], cudnnAtLeast: [9], platforms: ['linux', 'win32'] },
};

/** The oldest driver each CUDA major version runs on (NVIDIA's minor version compatibility table): Linux, Windows. */
const minimumDriver: Record<number, { linux: string; win32: string }> = {
  11: { linux: '450.80.02', win32: '452.39' },
  12: { linux: '525.60.13', win32: '527.41' },
};

/** Paths as the probed platform writes them (the tests probe Windows layouts on Linux). */
const joinFor = (platform: NodeJS.Platform) => (platform === 'win32' ? win32.join : posix.join);

const parseVersion = (v: string): number[] => v.split('.').map((x) => Number.parseInt(x, 10)).filter((x) => Number.isFinite(x));

/** a ≥ b, comparing as many parts as b has (a part a lacks counts as unknown, so as enough). */
function atLeast(a: string, b: number[]): boolean {
  const pa = parseVersion(a);
  for (let i = 0; i < b.length; i++) {
    if (pa[i] === undefined) return true;
    if (pa[i] !== b[i]) return pa[i] > b[i];
  }
  return true;
}

const libraryPatterns: Record<'linux' | 'win32', Record<CudaLibraryName, RegExp>> = {
  // libcudart.so.11.0 is the soname of every CUDA 11 runtime: only its major version counts; the real
  // file (libcudart.so.11.2.152) says the rest.
  linux: {
    cudart: /^libcudart\.so\.(\d+(?:\.\d+)*)$/,
    cublas: /^libcublas\.so\.(\d+(?:\.\d+)*)$/,
    cudnn: /^libcudnn\.so\.(\d+(?:\.\d+)*)$/,
  },
  // cudart64_110.dll (CUDA 11.x), cudart64_12.dll; cublas64_11.dll; cudnn64_8.dll.
  win32: {
    cudart: /^cudart64_(\d+)\.dll$/i,
    cublas: /^cublas64_(\d+)\.dll$/i,
    cudnn: /^cudnn64_(\d+)\.dll$/i,
  },
};

/** The version a library's file name carries: on Linux the part after .so.; on Windows cudart64_110 is 11 (CUDA 11.0 named it so), cudart64_12 is 12. */
function versionOf(platform: 'linux' | 'win32', name: CudaLibraryName, raw: string): string {
  if (platform === 'win32') return name === 'cudart' && raw.length === 3 ? String(Number(raw.slice(0, 2))) : raw;
  const parts = raw.split('.');
  // The soname's ".0" (libcudart.so.11.0, libcublas.so.11) says nothing of the minor version.
  if (name === 'cudart' && parts.length === 2 && parts[1] === '0') return parts[0];
  return raw;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function searchFolders(deps: CudaProbeDeps, ldconfig: string | null): string[] {
  const { env, platform } = deps;
  const join = joinFor(platform);
  const sep = platform === 'win32' ? ';' : ':';
  const split = (v: string | undefined) => (v ?? '').split(sep).filter(Boolean);
  if (platform === 'win32') {
    const roots = unique([env.CUDA_PATH, ...Object.keys(env).filter((k) => /^CUDA_PATH_V\d+_\d+$/.test(k)).map((k) => env[k])].filter((x): x is string => Boolean(x)));
    const cudnnRoot = 'C:\\Program Files\\NVIDIA\\CUDNN';
    // cuDNN 9's installer: C:\Program Files\NVIDIA\CUDNN\v9.x\bin\12.x\cudnn64_9.dll.
    const cudnn = (deps.listDir(cudnnRoot) ?? []).flatMap((v) => {
      const bin = join(cudnnRoot, v, 'bin');
      return [bin, ...(deps.listDir(bin) ?? []).map((c) => join(bin, c))];
    });
    return unique([...split(env.PATH ?? env.Path), ...roots.map((r) => join(r, 'bin')), ...cudnn]);
  }
  const roots = unique([env.CUDA_PATH, env.CUDA_HOME, ...(deps.listDir('/usr/local') ?? []).filter((d) => /^cuda(-\d+(\.\d+)*)?$/.test(d)).sort().map((d) => `/usr/local/${d}`)].filter((x): x is string => Boolean(x)));
  // The folders ldconfig's cache finds NVIDIA's libraries in (their full-version files lie beside the sonames).
  const fromCache = (ldconfig ?? '')
    .split('\n')
    .map((l) => /^\s*lib(?:cudart|cublas|cudnn)\.so\S*\s.*=>\s*(\S+)\/[^/\s]+$/.exec(l)?.[1])
    .filter((x): x is string => Boolean(x));
  return unique([
    ...split(env.LD_LIBRARY_PATH),
    ...roots.flatMap((r) => [`${r}/lib64`, `${r}/lib`, `${r}/targets/x86_64-linux/lib`, `${r}/targets/sbsa-linux/lib`]),
    ...fromCache,
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
  ]);
}

/** cudnn_version.h (cuDNN 8 and later; cudnn.h before): CUDNN_MAJOR, CUDNN_MINOR, CUDNN_PATCHLEVEL. */
function cudnnHeaders(deps: CudaProbeDeps): { version: string; path: string }[] {
  const { env } = deps;
  const join = joinFor(deps.platform);
  const roots = [env.CUDA_PATH, env.CUDA_HOME, '/usr/local/cuda', '/usr'].filter((x): x is string => Boolean(x));
  const found: { version: string; path: string }[] = [];
  const candidates = roots.flatMap((r) => [join(r, 'include', 'cudnn_version.h'), join(r, 'include', 'cudnn.h')]);
  // Debian/Ubuntu's packages: /usr/include/x86_64-linux-gnu/cudnn_version_v9.h.
  for (const dir of ['/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu']) for (const f of deps.listDir(dir) ?? []) if (/^cudnn_version(_v\d+)?\.h$/.test(f)) candidates.push(`${dir}/${f}`);
  for (const path of unique(candidates)) {
    const text = deps.readFile(path);
    if (!text) continue;
    const def = (n: string) => new RegExp(`#define\\s+CUDNN_${n}\\s+(\\d+)`).exec(text)?.[1];
    const major = def('MAJOR');
    if (!major) continue;
    found.push({ version: [major, def('MINOR') ?? '0', def('PATCHLEVEL') ?? '0'].join('.'), path });
  }
  return found;
}

/** The CUDA toolkit's own version file (version.json since 11.1, version.txt before). */
function toolkitVersions(deps: CudaProbeDeps): { version: string; path: string }[] {
  const join = joinFor(deps.platform);
  const roots = unique([deps.env.CUDA_PATH, deps.env.CUDA_HOME, ...(deps.listDir('/usr/local') ?? []).filter((d) => /^cuda(-\d+(\.\d+)*)?$/.test(d)).map((d) => `/usr/local/${d}`)].filter((x): x is string => Boolean(x)));
  const out: { version: string; path: string }[] = [];
  for (const r of roots) {
    const json = deps.readFile(join(r, 'version.json'));
    let v: string | undefined;
    if (json) {
      try {
        v = (JSON.parse(json) as { cuda_cudart?: { version?: string }; cuda?: { version?: string } }).cuda_cudart?.version ?? (JSON.parse(json) as { cuda?: { version?: string } }).cuda?.version;
      } catch {
        v = undefined;
      }
    }
    v ??= /CUDA Version\s+(\d+(?:\.\d+)*)/.exec(deps.readFile(join(r, 'version.txt')) ?? '')?.[1];
    if (v) out.push({ version: v, path: r });
  }
  return out;
}

async function driverOf(deps: CudaProbeDeps, timeoutMs: number): Promise<CudaReport['driver']> {
  const query = ['--query-gpu=driver_version,name,memory.total', '--format=csv,noheader,nounits'];
  // Linux: the kernel module's version file; WSL has none, its nvidia-smi lives in /usr/lib/wsl/lib.
  // A missing command fails at once; a hanging one is killed after timeoutMs.
  const proc = deps.platform === 'linux' ? deps.readFile('/proc/driver/nvidia/version') : null;
  const procVersion = proc ? /Kernel Module(?:\s+for\s+\S+)?\s+(\d+(?:\.\d+)+)/.exec(proc)?.[1] ?? null : null;
  let out: string | null = null;
  if (deps.platform === 'win32') out = await deps.run('nvidia-smi.exe', query, timeoutMs);
  else if (deps.platform === 'linux') {
    out = await deps.run('nvidia-smi', query, timeoutMs);
    if (out === null && !procVersion && deps.listDir('/usr/lib/wsl/lib')?.includes('nvidia-smi')) out = await deps.run('/usr/lib/wsl/lib/nvidia-smi', query, timeoutMs);
  }
  const gpus = (out ?? '')
    .split('\n')
    .map((l) => l.split(',').map((x) => x.trim()))
    .filter((c) => c.length >= 3 && /^\d/.test(c[0]))
    .map((c) => ({ driver: c[0], name: c[1], memoryMiB: Number.parseInt(c[2], 10) || null }));
  const version = procVersion ?? gpus[0]?.driver ?? null;
  if (!version) return null;
  return { version, source: procVersion ? 'proc' : 'nvidia-smi', gpus: gpus.map(({ name, memoryMiB }) => ({ name, memoryMiB })) };
}

/** Probes the system (or the fake given): never loads a CUDA library, never waits longer than about `timeoutMs` twice. */
export async function probeCuda(deps: CudaProbeDeps = systemProbeDeps(), timeoutMs = 3000): Promise<CudaReport> {
  const platform = deps.platform === 'win32' ? 'win32' : deps.platform === 'linux' ? 'linux' : null;
  if (!platform) {
    return { platform: deps.platform, driver: null, libraries: [], consumers: (Object.keys(cudaRequirements) as CudaConsumer[]).map((c) => consumer(c, deps.platform, null, [])) };
  }
  const [driver, ldconfig] = await Promise.all([driverOf(deps, timeoutMs), platform === 'linux' ? deps.run('ldconfig', ['-p'], timeoutMs).then((o) => o ?? deps.run('/sbin/ldconfig', ['-p'], timeoutMs)) : Promise.resolve(null)]);
  const join = joinFor(deps.platform);
  const libraries: CudaLibrary[] = [];
  const seen = new Set<string>();
  const add = (lib: CudaLibrary) => {
    const key = `${lib.name} ${lib.version} ${lib.path}`;
    if (!seen.has(key)) {
      seen.add(key);
      libraries.push(lib);
    }
  };
  for (const dir of searchFolders(deps, ldconfig)) {
    for (const file of deps.listDir(dir) ?? []) {
      for (const name of ['cudart', 'cublas', 'cudnn'] as CudaLibraryName[]) {
        const m = libraryPatterns[platform][name].exec(file);
        if (m) add({ name, version: versionOf(platform, name, m[1]), path: join(dir, file) });
      }
    }
  }
  // ldconfig's cache names libraries whose folders may be unreadable to us: take the names as found.
  for (const line of (ldconfig ?? '').split('\n')) {
    const m = /^\s*(\S+)\s.*=>\s*(\S+)$/.exec(line);
    if (!m) continue;
    for (const name of ['cudart', 'cublas', 'cudnn'] as CudaLibraryName[]) {
      const v = libraryPatterns.linux[name].exec(m[1]);
      if (v && !libraries.some((l) => l.path === m[2])) add({ name, version: versionOf('linux', name, v[1]), path: m[2] });
    }
  }
  // Full versions from the headers and the toolkit's version file refine a major-only library name.
  for (const h of cudnnHeaders(deps)) add({ name: 'cudnn', version: h.version, path: h.path, header: true });
  for (const t of toolkitVersions(deps)) add({ name: 'cudart', version: t.version, path: t.path, header: true });
  return { platform: deps.platform, driver, libraries, consumers: (Object.keys(cudaRequirements) as CudaConsumer[]).map((c) => consumer(c, deps.platform, driver, libraries)) };
}

/** Every version of `name` found, oldest first. */
function versionsFound(libraries: CudaLibrary[], name: CudaLibraryName): string[] {
  return unique(libraries.filter((l) => l.name === name).map((l) => l.version)).sort((a, b) => compare(parseVersion(a), parseVersion(b)));
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? -1) !== (b[i] ?? -1)) return (a[i] ?? -1) - (b[i] ?? -1);
  return 0;
}

/** The most precise version known for a library of major `major`: the longest of the library names, headers and version files. */
function bestOf(libraries: CudaLibrary[], name: CudaLibraryName, major: number): string | null {
  const files = libraries.filter((l) => l.name === name && !l.header && parseVersion(l.version)[0] === major);
  if (files.length === 0) return null;
  const all = libraries.filter((l) => l.name === name && parseVersion(l.version)[0] === major).map((l) => l.version);
  return all.sort((a, b) => parseVersion(b).length - parseVersion(a).length || compare(parseVersion(b), parseVersion(a)))[0];
}

function consumer(c: CudaConsumer, platform: NodeJS.Platform, driver: CudaReport['driver'], libraries: CudaLibrary[]): CudaConsumerReport {
  const r = cudaRequirements[c];
  const needs: CudaNeed[] = [];
  if (!r.platforms.includes(platform)) return { consumer: c, cuda: r.cuda, cudnn: r.cudnn, ready: false, missing: [{ what: 'platform', need: r.platforms.join(', '), found: [platform] }] };
  const minDriver = minimumDriver[r.cudaMajor][platform === 'win32' ? 'win32' : 'linux'];
  if (!driver) needs.push({ what: 'driver', need: minDriver, found: [] });
  else if (!atLeast(driver.version, parseVersion(minDriver))) needs.push({ what: 'driver', need: minDriver, found: [driver.version] });
  const check = (name: CudaLibraryName, major: number, least: number[], need: string) => {
    const best = bestOf(libraries, name, major);
    if (best === null || !atLeast(best, least)) needs.push({ what: name, need, found: versionsFound(libraries, name) });
  };
  check('cudart', r.cudaMajor, r.cudaAtLeast, r.cuda);
  check('cublas', r.cudaMajor, [r.cudaMajor], String(r.cudaMajor));
  check('cudnn', r.cudnnMajor, r.cudnnAtLeast, r.cudnn);
  return { consumer: c, cuda: r.cuda, cudnn: r.cudnn, ready: needs.length === 0, missing: needs };
}

/** One line of English for a run's record or a log: what `consumer` lacks, or that it has everything. */
export function describeCudaNeeds(report: CudaReport, c: CudaConsumer): string {
  const r = report.consumers.find((x) => x.consumer === c);
  if (!r) return '';
  if (r.ready) return `CUDA ${r.cuda} and cuDNN ${r.cudnn} found`;
  const label: Record<CudaNeed['what'], string> = { platform: 'a supported platform', driver: 'NVIDIA driver', cudart: 'CUDA runtime', cublas: 'cuBLAS', cudnn: 'cuDNN' };
  return `missing for ${c} (CUDA ${r.cuda}, cuDNN ${r.cudnn}): ${r.missing.map((m) => `${label[m.what]} ${m.what === 'driver' ? `≥ ${m.need}` : m.need} (found: ${m.found.length ? m.found.join(', ') : 'none'})`).join('; ')}`;
}
