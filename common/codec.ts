// Plain data over a text transport (WebSocket): JSON, with typed arrays tagged and base64-encoded
// so that bytes and float32 arrays survive the trip exactly.

// Tag names no payload uses as a key of its own (metadata keys come from users' files).
const tags = { '$shirabe:u8': Uint8Array, '$shirabe:f32': Float32Array, '$shirabe:i32': Int32Array } as const;
type Tag = keyof typeof tags;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    for (const tag of Object.keys(tags) as Tag[]) {
      if (v instanceof tags[tag]) {
        const view = v as Uint8Array | Float32Array | Int32Array;
        return { [tag]: toBase64(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)) };
      }
    }
    return v;
  });
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && Object.hasOwn(tags, keys[0])) {
        const tag = keys[0] as Tag;
        const bytes = fromBase64((v as Record<string, string>)[tag]);
        if (tag === '$shirabe:u8') return bytes;
        const copy = bytes.slice().buffer;
        return new tags[tag](copy);
      }
    }
    return v;
  });
}
