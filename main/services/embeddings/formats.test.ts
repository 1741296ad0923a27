import { describe, expect, it } from 'vitest';
import { embeddingCsvHeader, embeddingCsvLine, exportFormatOf, npyHeader, npyRowsPath } from './formats';

describe('embedding export formats', () => {
  it('chooses the format by the extension, and refuses any other', () => {
    expect(exportFormatOf('/a/b.csv')).toBe('csv');
    expect(exportFormatOf('/a/b.NPY')).toBe('npy');
    expect(exportFormatOf('/a/b.v2.parquet')).toBe('parquet');
    for (const bad of ['/a/b.arrow', '/a/b', '/a/b.npz', '/a/csv']) expect(() => exportFormatOf(bad)).toThrow(expect.objectContaining({ code: 'embeddingExportFormat' }));
    expect(npyRowsPath('/a/run 3.npy')).toBe('/a/run 3.rows.csv');
  });

  it("writes numpy's own NPY 1.0 header, byte for byte (np.save of a float32 matrix, numpy 1.24.2)", () => {
    // b"\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }" + spaces + b"\n": 128 bytes.
    const expected = (shape: string) => {
      const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape}), }`;
      return [0x93, ...Buffer.from('NUMPY'), 1, 0, 0x76, 0, ...Buffer.from(dict.padEnd(117, ' ') + '\n')];
    };
    expect([...npyHeader(3, 4)]).toEqual(expected('3, 4'));
    expect([...npyHeader(100000, 768)]).toEqual(expected('100000, 768'));
    expect(npyHeader(3, 4).length % 64).toBe(0);
  });

  it('writes CSV records with quoting and float32 text', () => {
    expect(embeddingCsvHeader(3)).toBe('document_id,title,label,split,d0,d1,d2\r\n');
    expect(embeddingCsvLine({ documentId: 7, title: '題名, "引用"', label: null, split: 'dev' }, Float32Array.of(0.1, -1 / 3, 1e-8))).toBe(
      '7,"題名, ""引用""",,dev,0.1,-0.33333334,1e-8\r\n',
    );
  });
});
