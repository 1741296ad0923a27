import { describe, expect, it } from 'vitest';
import { csvBytes, csvField, toCsv } from './csv';

describe('csv', () => {
  it('quotes fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(3.5)).toBe('3.5');
    expect(csvField(null)).toBe('');
  });

  it('joins rows with CRLF, header first', () => {
    expect(toCsv(['ラベル', 'count'], [['映画', 4], ['a,b', 1]])).toBe('ラベル,count\r\n映画,4\r\n"a,b",1\r\n');
  });

  it('starts with a UTF-8 BOM and encodes Japanese as UTF-8', () => {
    const bytes = csvBytes(['本文'], [['髙']]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.subarray(3))).toBe('本文\r\n髙\r\n');
  });
});
