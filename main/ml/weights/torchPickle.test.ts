// Expected values come from PyTorch: test/fixtures/hf/torch-known (torch 2.11, zip format, by
// scripts/fixtures/make_hf_fixtures.py) and test/fixtures/torch-legacy (Debian's torch 1.13,
// legacy and zip formats, by scripts/fixtures/make_torch_legacy.py), each with the values torch
// itself printed. Hostile and damaged inputs are assembled byte by byte below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, loadFixture, weightsError } from '../../../test/weightsFixtures';
import { WeightsError } from './errors';
import { openSafetensors } from './safetensors';
import { openTorchCheckpoint } from './torchPickle';
import { bytesSource, type ByteSource, type TensorReader } from './types';
import { entryDataOffset, readZipDirectory } from './zip';

const fixtures = fixturesDir;
const load = loadFixture;

interface Expected {
  shape: number[];
  dtype: string;
  values: number[];
}

const torchDtype: Record<string, string> = {
  'torch.float32': 'F32', 'torch.float16': 'F16', 'torch.bfloat16': 'BF16', 'torch.float64': 'F64', 'torch.int64': 'I64',
};

/** Every tensor of `expected` read exactly: torch's double values rounded once to float32. */
function expectAll(reader: TensorReader, expected: Record<string, Expected>) {
  expect([...reader.tensors.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    const info = reader.tensors.get(name)!;
    expect(info.shape, name).toEqual(want.shape);
    expect(info.dtype, name).toBe(torchDtype[want.dtype] ?? want.dtype);
    const got = reader.read(name);
    expect(got).toBeInstanceOf(Float32Array);
    // toEqual on plain arrays tells -0 from 0, which matters for the f16 fixture.
    expect(Array.from(got), name).toEqual(want.values.map((v) => Math.fround(v)));
  }
}

// A STORED zip, optionally with every size and offset moved into zip64 records (as torch's
// writer does past 4 GB), written from APPNOTE.TXT 4.3 and 4.5 independently of zip.ts.
function makeZip(entries: { name: string; data: Uint8Array }[], zip64 = false, method = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const { name, data } of entries) {
    const n = enc.encode(name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, zip64 ? 45 : 20, true);
    local.setUint16(8, method, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, n.length, true);
    parts.push(new Uint8Array(local.buffer), n, data);
    const extra = new DataView(new ArrayBuffer(zip64 ? 28 : 0));
    if (zip64) {
      extra.setUint16(0, 1, true);
      extra.setUint16(2, 24, true);
      extra.setBigUint64(4, BigInt(data.length), true);
      extra.setBigUint64(12, BigInt(data.length), true);
      extra.setBigUint64(20, BigInt(offset), true);
    }
    const c = new DataView(new ArrayBuffer(46));
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 45, true);
    c.setUint16(6, zip64 ? 45 : 20, true);
    c.setUint16(10, method, true);
    c.setUint32(20, zip64 ? 0xffffffff : data.length, true);
    c.setUint32(24, zip64 ? 0xffffffff : data.length, true);
    c.setUint16(28, n.length, true);
    c.setUint16(30, extra.byteLength, true);
    c.setUint32(42, zip64 ? 0xffffffff : offset, true);
    central.push(new Uint8Array(c.buffer), n, new Uint8Array(extra.buffer));
    offset += 30 + n.length + data.length;
  }
  const cdOffset = offset;
  const cdSize = central.reduce((s, p) => s + p.length, 0);
  const tail: Uint8Array[] = [];
  if (zip64) {
    const record = new DataView(new ArrayBuffer(56));
    record.setUint32(0, 0x06064b50, true);
    record.setBigUint64(4, 44n, true);
    record.setUint16(12, 45, true);
    record.setUint16(14, 45, true);
    record.setBigUint64(24, BigInt(entries.length), true);
    record.setBigUint64(32, BigInt(entries.length), true);
    record.setBigUint64(40, BigInt(cdSize), true);
    record.setBigUint64(48, BigInt(cdOffset), true);
    const locator = new DataView(new ArrayBuffer(20));
    locator.setUint32(0, 0x07064b50, true);
    locator.setBigUint64(8, BigInt(cdOffset + cdSize), true);
    locator.setUint32(16, 1, true);
    tail.push(new Uint8Array(record.buffer), new Uint8Array(locator.buffer));
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, zip64 ? 0xffff : entries.length, true);
  end.setUint16(10, zip64 ? 0xffff : entries.length, true);
  end.setUint32(12, zip64 ? 0xffffffff : cdSize, true);
  end.setUint32(16, zip64 ? 0xffffffff : cdOffset, true);
  tail.push(new Uint8Array(end.buffer));
  const all = [...parts, ...central, ...tail];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A zip fixture's entries, to rebuild it in another layout. */
function entriesOf(bytes: Uint8Array) {
  const source = bytesSource(bytes);
  return [...readZipDirectory(source).values()].map((e) => ({ name: e.name, data: bytes.slice(entryDataOffset(source, e), entryDataOffset(source, e) + e.size) }));
}

const enc = (s: string) => Array.from(new TextEncoder().encode(s));
const binunicode = (s: string) => {
  const b = enc(s);
  return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, 0, 0, ...b];
};

describe('openTorchCheckpoint: zip format (torch 2.11)', () => {
  const bytes = load('hf/torch-known/pytorch_model.bin');
  const expected = JSON.parse(readFileSync(join(fixtures, 'hf/torch-known/expected.json'), 'utf8')) as Record<string, Expected>;

  it('reads every tensor exactly: dtypes, a view with offset and strides, a transposed view, a 0-d tensor, int64, shared storage', () => {
    expectAll(openTorchCheckpoint(bytesSource(bytes)), expected);
  });

  it('reads the same archive rewritten with zip64 records, as torch writes files over 4 GB', () => {
    const zip64 = makeZip(entriesOf(bytes), true);
    expect(new DataView(zip64.buffer).getUint32(zip64.length - 6, true)).toBe(0xffffffff);
    expectAll(openTorchCheckpoint(bytesSource(zip64)), expected);
  });

  it('reads only the pickle up front and each tensor\'s own bytes on demand', () => {
    const reads: [number, number][] = [];
    const inner = bytesSource(bytes);
    const source: ByteSource = { size: inner.size, read: (o, l) => (reads.push([o, l]), inner.read(o, l)) };
    const reader = openTorchCheckpoint(source);
    // No read at open touches a storage's bytes.
    const zip = bytesSource(bytes);
    const storages = [...readZipDirectory(zip).values()].filter((e) => /\/data\/\d+$/.test(e.name)).map((e) => [entryDataOffset(zip, e), e.size]);
    expect(storages).toHaveLength(6); // view, transposed and shared live in f32's storage
    for (const [o, l] of reads) for (const [so, sl] of storages) expect(o + l <= so || o >= so + sl, `read ${o}+${l}`).toBe(true);
    reads.length = 0;
    reader.read('scalar');
    expect(reads).toHaveLength(1);
    expect(reads[0][1]).toBe(4);
    reads.length = 0;
    reader.read('view'); // elements 8..16 of the shared 24-float storage: 9 floats
    expect(reads[0][1]).toBe(9 * 4);
  });

  it('calls every cut of the file truncated', () => {
    for (let cut = 0; cut < bytes.length; cut++) {
      const err = weightsError(() => openTorchCheckpoint(bytesSource(bytes.subarray(0, cut))));
      expect(err.kind, `cut at ${cut}: ${err.detail}`).toBe('truncated');
    }
  });

  it('refuses storage entries shorter than their tensors, compressed entries and non-checkpoints', () => {
    const entries = entriesOf(bytes);
    const short = entries.map((e) => (e.name.endsWith('/data/0') ? { ...e, data: e.data.subarray(0, 40) } : e));
    const err = weightsError(() => openTorchCheckpoint(bytesSource(makeZip(short))));
    expect(err.kind).toBe('corrupt');
    expect(err.detail).toMatch(/tensor f32 reaches element 24 of storage 0, which holds 10/);

    const deflated = weightsError(() => openTorchCheckpoint(bytesSource(makeZip(entries, false, 8))));
    expect(deflated.kind).toBe('unsupported');
    expect(deflated.detail).toMatch(/zip entry pytorch_model\/\S+ is compressed \(method 8\)/);

    const noPickle = weightsError(() => openTorchCheckpoint(bytesSource(makeZip([{ name: 'x/y', data: new Uint8Array(3) }]))));
    expect(noPickle.kind).toBe('corrupt');
    expect(noPickle.detail).toMatch(/no <name>\/data\.pkl/);

    const lfs = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 440473133\n');
    expect(weightsError(() => openTorchCheckpoint(bytesSource(lfs)))).toMatchObject({ kind: 'truncated', detail: expect.stringMatching(/Git LFS pointer/) });
    expect(weightsError(() => openTorchCheckpoint(bytesSource(new Uint8Array([1, 2, 3]))))).toMatchObject({ kind: 'corrupt' });
    expect(weightsError(() => openTorchCheckpoint(bytesSource(new Uint8Array(0))))).toMatchObject({ kind: 'truncated' });
  });

  it('refuses any global that is not a tensor global, naming it, and runs nothing', () => {
    // protocol 2: GLOBAL 'os system', ('echo pwned',), REDUCE, STOP
    const osSystem = [0x80, 0x02, 0x63, ...enc('os\nsystem\n'), ...binunicode('echo pwned'), 0x85, 0x52, 0x2e];
    const zipped = makeZip([{ name: 'archive/data.pkl', data: new Uint8Array(osSystem) }]);
    const err = weightsError(() => openTorchCheckpoint(bytesSource(zipped)));
    expect(err.kind).toBe('unsupported');
    expect(err.detail).toMatch(/Python global os\.system/);

    // protocol 4: SHORT_BINUNICODE 'builtins', 'eval', STACK_GLOBAL, …
    const sbu = (s: string) => [0x8c, enc(s).length, ...enc(s)];
    const evalPickle = [0x80, 0x04, ...sbu('builtins'), ...sbu('eval'), 0x93, ...sbu('1+1'), 0x85, 0x52, 0x2e];
    const err2 = weightsError(() => openTorchCheckpoint(bytesSource(makeZip([{ name: 'archive/data.pkl', data: new Uint8Array(evalPickle) }]))));
    expect(err2).toMatchObject({ kind: 'unsupported', detail: expect.stringMatching(/builtins\.eval/) });

    // A torch rebuild function this reader does not handle is named as such.
    const qtensor = [0x80, 0x02, 0x63, ...enc('torch._utils\n_rebuild_qtensor\n'), 0x29, 0x52, 0x2e];
    const err3 = weightsError(() => openTorchCheckpoint(bytesSource(makeZip([{ name: 'archive/data.pkl', data: new Uint8Array(qtensor) }]))));
    expect(err3).toMatchObject({ kind: 'unsupported', detail: expect.stringMatching(/torch\._utils\._rebuild_qtensor/) });
  });
});

describe('openTorchCheckpoint: legacy format (torch 1.13, _use_new_zipfile_serialization=False)', () => {
  const legacy = load('torch-legacy/pytorch_model.bin');
  const zip = load('torch-legacy/zip.bin');
  const expected = (JSON.parse(readFileSync(join(fixtures, 'torch-legacy/expected.json'), 'utf8')) as { tensors: Record<string, Expected> }).tensors;

  it('is really the legacy format', () => {
    expect([legacy[0], legacy[1], legacy[2]]).toEqual([0x80, 0x02, 0x8a]); // PROTO 2, LONG1 (the magic number)
    expect([zip[0], zip[1]]).toEqual([0x50, 0x4b]); // PK
  });

  it('reads every tensor exactly: a module state_dict, parameters, every dtype, views, shared storage, 0-d and empty tensors', () => {
    expectAll(openTorchCheckpoint(bytesSource(legacy)), expected);
  });

  it('reads the same dict in torch 1.13\'s zip format', () => {
    expectAll(openTorchCheckpoint(bytesSource(zip)), expected);
  });

  it('calls every cut of the file truncated', () => {
    for (let cut = 0; cut < legacy.length; cut++) {
      const err = weightsError(() => openTorchCheckpoint(bytesSource(legacy.subarray(0, cut))));
      expect(err.kind, `cut at ${cut}: ${err.detail}`).toBe('truncated');
    }
    expect(weightsError(() => openTorchCheckpoint(bytesSource(legacy.subarray(0, legacy.length - 1)))).detail).toMatch(
      new RegExp(`tensor \\S+ needs bytes \\d+–${legacy.length} but the file has ${legacy.length - 1} bytes`),
    );
  });

  it('refuses a legacy file whose state dict pickle calls os.system', () => {
    // Keep the magic number, protocol and sys_info pickles; replace the object pickle.
    // The three header pickles hold no '.' byte but their STOP opcodes.
    const sysInfoEnd = legacy.indexOf(0x2e, legacy.indexOf(0x2e, legacy.indexOf(0x2e) + 1) + 1) + 1;
    expect([legacy[sysInfoEnd], legacy[sysInfoEnd + 1], legacy[sysInfoEnd + 2]]).toEqual([0x80, 0x02, 0x63]); // the object pickle: PROTO 2, GLOBAL
    const evil = [0x80, 0x02, 0x63, ...enc('os\nsystem\n'), ...binunicode('rm -rf ~'), 0x85, 0x52, 0x2e];
    const bytes = new Uint8Array([...legacy.subarray(0, sysInfoEnd), ...evil, 0x80, 0x02, 0x5d, 0x2e]);
    const err = weightsError(() => openTorchCheckpoint(bytesSource(bytes)));
    expect(err).toMatchObject({ kind: 'unsupported', detail: expect.stringMatching(/os\.system/) });
  });

  it('refuses a pickle without the magic number', () => {
    const err = weightsError(() => openTorchCheckpoint(bytesSource(new Uint8Array([0x80, 0x02, 0x4b, 0x07, 0x2e]))));
    expect(err).toMatchObject({ kind: 'corrupt', detail: expect.stringMatching(/magic number/) });
  });
});

describe('openTorchCheckpoint: a transformers model (bert-mlm-bin) against its safetensors twin', () => {
  it('has every tensor of model.safetensors bit for bit, plus the tied decoder weight', () => {
    const bin = openTorchCheckpoint(bytesSource(load('hf/bert-mlm-bin/pytorch_model.bin')));
    const st = openSafetensors(bytesSource(load('hf/bert-mlm/model.safetensors')));
    expect(st.tensors.size).toBeGreaterThan(30);
    for (const [name, info] of st.tensors) {
      expect(bin.tensors.get(name), name).toEqual(info);
      expect(new Uint32Array(bin.read(name).buffer), name).toEqual(new Uint32Array(st.read(name).buffer));
    }
    // torch.save keeps tied parameters under both names (safetensors drops the duplicates).
    expect([...bin.tensors.keys()].filter((n) => !st.tensors.has(n)).sort()).toEqual(['cls.predictions.decoder.bias', 'cls.predictions.decoder.weight']);
    expect(bin.read('cls.predictions.decoder.weight')).toEqual(st.read('bert.embeddings.word_embeddings.weight'));
    expect(bin.read('cls.predictions.decoder.bias')).toEqual(st.read('cls.predictions.bias'));
  });

  it('reads a RoBERTa pickle with the same names and shapes as a RoBERTa safetensors file', () => {
    const bin = openTorchCheckpoint(bytesSource(load('hf/roberta-mlm-bin/pytorch_model.bin')));
    const st = openSafetensors(bytesSource(load('hf/roberta-mlm/model.safetensors')));
    for (const [name, info] of st.tensors) {
      expect(bin.tensors.get(name), name).toEqual(info);
      expect(bin.read(name).length).toBe(info.shape.reduce((a, b) => a * b, 1));
    }
  });
});

describe('damaged bytes', () => {
  it('either read or throw a WeightsError, whatever bytes are overwritten', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const path of ['hf/torch-known/pytorch_model.bin', 'torch-legacy/pytorch_model.bin', 'torch-legacy/zip.bin']) {
      const original = load(path);
      for (let trial = 0; trial < 400; trial++) {
        const bytes = original.slice();
        for (let k = 0; k < 3; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        try {
          const reader = openTorchCheckpoint(bytesSource(bytes));
          for (const name of reader.tensors.keys()) reader.read(name);
        } catch (err) {
          expect(err, `${path} trial ${trial}: ${String(err)}`).toBeInstanceOf(WeightsError);
        }
      }
    }
  });
});
