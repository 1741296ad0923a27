// A minimal Python pickle virtual machine (after CPython's Lib/pickle.py `_Unpickler` and the
// opcode table in Lib/pickletools.py), enough for PyTorch checkpoints. It never runs anything:
// GLOBAL/STACK_GLOBAL ask `hooks.findClass`, which returns a stand-in or refuses, and REDUCE,
// NEWOBJ and BUILD hand those stand-ins back to `hooks`. Python values become plain data:
// None → null, bool, int → number (bigint past 2^53), float → number, str → string,
// bytes → Uint8Array, list and tuple → array, dict → Map, set → Set.
import { WeightsError } from './errors';
import { readRange } from './safetensors';
import type { ByteSource } from './types';

export interface PickleHooks {
  /** A global the pickle names: return a stand-in, or throw a WeightsError to refuse it. */
  findClass(module: string, name: string): unknown;
  /** REDUCE (`callable(*args)`) and NEWOBJ (`cls.__new__(cls, *args)`) on a stand-in. */
  call(callable: unknown, args: unknown[], opcode: 'REDUCE' | 'NEWOBJ'): unknown;
  /** BUILD: `obj.__setstate__(state)`; returns the object that stays on the stack. */
  build(obj: unknown, state: unknown): unknown;
  /** BINPERSID/PERSID: the object a persistent id stands for (torch: a storage). */
  persistentLoad(pid: unknown): unknown;
}

/** Pickles are read a chunk at a time, since in the legacy format raw tensor data follows them. */
const chunkBytes = 1 << 20;

class Input {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart: number;
  pos: number;

  constructor(
    private readonly source: ByteSource,
    start: number,
    private readonly end: number,
    private readonly what: string,
  ) {
    this.pos = start;
    this.bufStart = start;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.bufStart + this.buf.length) return;
    if (this.pos + n > this.end) {
      throw new WeightsError('truncated', `${this.what} ends early: it needs bytes ${this.pos}–${this.pos + n} but ends at byte ${this.end} (the file has ${this.source.size} bytes)`);
    }
    const length = Math.min(Math.max(n, chunkBytes), this.end - this.pos);
    this.buf = readRange(this.source, this.pos, length, this.what);
    this.bufStart = this.pos;
  }

  byte(): number {
    this.ensure(1);
    return this.buf[this.pos++ - this.bufStart];
  }

  bytes(n: number): Uint8Array {
    this.ensure(n);
    const at = this.pos - this.bufStart;
    this.pos += n;
    return this.buf.subarray(at, at + n);
  }

  view(n: number): DataView {
    const b = this.bytes(n);
    return new DataView(b.buffer, b.byteOffset, n);
  }

  /** A newline-terminated ASCII line, without the newline (text opcodes and GLOBAL). */
  line(): string {
    const chars: number[] = [];
    for (;;) {
      const c = this.byte();
      if (c === 0x0a) return String.fromCharCode(...chars);
      chars.push(c);
      if (chars.length > 4096) throw new WeightsError('corrupt', `${this.what}: a text line at byte ${this.pos} runs past 4096 bytes`);
    }
  }

  length(n: number | bigint): number {
    const v = Number(n);
    if (v > this.end - this.pos) throw new WeightsError('truncated', `${this.what}: an item of ${v} bytes at byte ${this.pos} runs past the end (byte ${this.end})`);
    return v;
  }
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Two's-complement little-endian integer, as LONG1/LONG4 store it; a number when it is safe. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return toNumberIfSafe(v);
}

function toNumberIfSafe(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// Opcodes that are valid pickle but that PyTorch never writes; named in the refusal.
const unsupportedOpcodes: Record<number, string> = {
  0x53: 'STRING', 0x56: 'UNICODE', 0x69: 'INST', 0x6f: 'OBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/**
 * Runs one pickle from `start` to its STOP opcode and returns the value and the offset just
 * past the STOP. `end` bounds it (the zip entry's end, or the file's end).
 */
export function unpickle(source: ByteSource, hooks: PickleHooks, what = 'the pickle', start = 0, end = source.size): { value: unknown; end: number } {
  const input = new Input(source, start, end, what);
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const corrupt = (detail: string, at: number) => new WeightsError('corrupt', `${what}: ${detail} at byte ${at} of the file`);
  let opAt = start;
  const pop = (): unknown => {
    if (stack.length === 0) throw corrupt('stack underflow', opAt);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw corrupt('stack underflow', opAt);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const previous = metastack.pop();
    if (!previous) throw corrupt('no MARK to pop to', opAt);
    stack = previous;
    return items;
  };
  const get = (key: number): unknown => {
    if (!memo.has(key)) throw corrupt(`memo entry ${key} read before it is written`, opAt);
    return memo.get(key);
  };
  const asMap = (x: unknown): Map<unknown, unknown> => {
    if (!(x instanceof Map)) throw corrupt('SETITEM on something that is not a dict', opAt);
    return x;
  };
  const asList = (x: unknown): unknown[] => {
    if (!Array.isArray(x)) throw corrupt('APPEND on something that is not a list', opAt);
    return x;
  };
  const asArgs = (x: unknown): unknown[] => {
    if (!Array.isArray(x)) throw corrupt('call arguments that are not a tuple', opAt);
    return x;
  };
  const setItems = (dict: Map<unknown, unknown>, items: unknown[]) => {
    if (items.length % 2) throw corrupt('SETITEMS with an odd number of items', opAt);
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };

  for (;;) {
    opAt = input.pos;
    const op = input.byte();
    switch (op) {
      case 0x80: { // PROTO
        const protocol = input.byte();
        if (protocol > 5) throw new WeightsError('unsupported', `${what}: pickle protocol ${protocol} is newer than 5`);
        break;
      }
      case 0x95: input.bytes(8); break; // FRAME: a length hint only
      case 0x2e: // STOP
        return { value: pop(), end: input.pos };
      case 0x28: metastack.push(stack); stack = []; break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP

      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x8f: stack.push(new Set()); break; // EMPTY_SET
      case 0x64: { const items = popMark(); const d = new Map(); setItems(d, items); stack.push(d); break; } // DICT
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST
      case 0x74: { const items = popMark(); stack.push(items); break; } // TUPLE (popMark swaps `stack`: pop first)
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x91: { const items = popMark(); stack.push(new Set(items)); break; } // FROZENSET
      case 0x73: { const v = pop(); const k = pop(); asMap(top()).set(k, v); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(asMap(top()), items); break; } // SETITEMS
      case 0x61: { const v = pop(); asList(top()).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); asList(top()).push(...items); break; } // APPENDS
      case 0x90: { // ADDITEMS
        const items = popMark();
        const set = top();
        if (!(set instanceof Set)) throw corrupt('ADDITEMS on something that is not a set', opAt);
        for (const item of items) set.add(item);
        break;
      }

      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(input.view(4).getInt32(0, true)); break; // BININT
      case 0x4b: stack.push(input.byte()); break; // BININT1
      case 0x4d: stack.push(input.view(2).getUint16(0, true)); break; // BININT2
      case 0x8a: stack.push(decodeLong(input.bytes(input.length(input.byte())))); break; // LONG1
      case 0x8b: { // LONG4
        const n = input.view(4).getInt32(0, true);
        if (n < 0) throw corrupt('LONG4 with a negative length', opAt);
        stack.push(decodeLong(input.bytes(input.length(n))));
        break;
      }
      case 0x47: stack.push(input.view(8).getFloat64(0, false)); break; // BINFLOAT (big-endian)
      case 0x49: { // INT (text): "00"/"01" are False/True in protocol 0
        const s = input.line();
        if (s === '00' || s === '01') stack.push(s === '01');
        else if (/^[-+]?\d+$/.test(s)) stack.push(toNumberIfSafe(BigInt(s)));
        else throw corrupt(`INT with text ${JSON.stringify(s)}`, opAt);
        break;
      }
      case 0x4c: { // LONG (text)
        const s = input.line().replace(/L$/, '');
        if (!/^[-+]?\d+$/.test(s)) throw corrupt(`LONG with text ${JSON.stringify(s)}`, opAt);
        stack.push(toNumberIfSafe(BigInt(s)));
        break;
      }
      case 0x46: { // FLOAT (text)
        const v = Number(input.line());
        if (Number.isNaN(v)) throw corrupt('FLOAT that is not a number', opAt);
        stack.push(v);
        break;
      }

      case 0x58: stack.push(utf8.decode(input.bytes(input.length(input.view(4).getUint32(0, true))))); break; // BINUNICODE
      case 0x8c: stack.push(utf8.decode(input.bytes(input.byte()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8.decode(input.bytes(input.length(input.view(8).getBigUint64(0, true))))); break; // BINUNICODE8
      // Python 2 str: bytes that torch.load decodes as text; checkpoint names are ASCII.
      case 0x54: stack.push(latin1.decode(input.bytes(input.length(input.view(4).getUint32(0, true))))); break; // BINSTRING
      case 0x55: stack.push(latin1.decode(input.bytes(input.byte()))); break; // SHORT_BINSTRING
      case 0x42: stack.push(input.bytes(input.length(input.view(4).getUint32(0, true))).slice()); break; // BINBYTES
      case 0x43: stack.push(input.bytes(input.byte()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(input.bytes(input.length(input.view(8).getBigUint64(0, true))).slice()); break; // BINBYTES8
      case 0x96: stack.push(input.bytes(input.length(input.view(8).getBigUint64(0, true))).slice()); break; // BYTEARRAY8

      case 0x71: memo.set(input.byte(), top()); break; // BINPUT
      case 0x72: memo.set(input.view(4).getUint32(0, true), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x70: memo.set(Number(input.line()), top()); break; // PUT (text)
      case 0x68: stack.push(get(input.byte())); break; // BINGET
      case 0x6a: stack.push(get(input.view(4).getUint32(0, true))); break; // LONG_BINGET
      case 0x67: stack.push(get(Number(input.line()))); break; // GET (text)

      case 0x63: { // GLOBAL: "module\nname\n"
        const module = input.line();
        const name = input.line();
        stack.push(hooks.findClass(module, name));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw corrupt('STACK_GLOBAL with names that are not strings', opAt);
        stack.push(hooks.findClass(module, name));
        break;
      }
      case 0x52: { const args = asArgs(pop()); const callable = pop(); stack.push(hooks.call(callable, args, 'REDUCE')); break; } // REDUCE
      case 0x81: { const args = asArgs(pop()); const cls = pop(); stack.push(hooks.call(cls, args, 'NEWOBJ')); break; } // NEWOBJ
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop();
        const args = asArgs(pop());
        const cls = pop();
        if (!(kwargs instanceof Map) || kwargs.size > 0) throw new WeightsError('unsupported', `${what}: NEWOBJ_EX with keyword arguments at byte ${opAt}`);
        stack.push(hooks.call(cls, args, 'NEWOBJ'));
        break;
      }
      case 0x62: { const state = pop(); const obj = pop(); stack.push(hooks.build(obj, state)); break; } // BUILD
      case 0x51: stack.push(hooks.persistentLoad(pop())); break; // BINPERSID
      case 0x50: stack.push(hooks.persistentLoad(input.line())); break; // PERSID (text)

      default: {
        const name = unsupportedOpcodes[op];
        if (name) throw new WeightsError('unsupported', `${what}: pickle opcode ${name} at byte ${opAt} is not supported`);
        throw corrupt(`unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}`, opAt);
      }
    }
  }
}
