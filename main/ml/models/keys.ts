// Parameter keys, built and parsed in one place. A key names one tensor of a model in our
// own vocabulary (independent of any checkpoint's names): "embeddings.word",
// "layer.3.query.weight", "classifier.bias"; a trainable LoRA adapter is "lora:<linear>.a|b"
// and its PEFT-layout export "<linear>.lora_A|B". Every producer and consumer of these strings
// goes through the functions here, so the formats cannot drift apart.
import { loraTargetNames, type LoraTargetName } from '../../../common/contract';

/** The Linear layers inside each encoder layer (the contract's LoRA targets are these names). */
export const layerLinears = loraTargetNames;
export type LayerLinear = LoraTargetName;

/** A Linear inside encoder layer i: "layer.3.query". */
export type LayerLinearKey = `layer.${number}.${LayerLinear}`;

/** A Linear layer's key (its weight is `${key}.weight`, its bias `${key}.bias`). */
export type LinearKey = LayerLinearKey | 'pooler' | 'classifier' | 'classifier.dense' | 'mlm.transform' | 'nsp' | (string & {});

export function layerLinearKey(layer: number, linear: LayerLinear): LayerLinearKey {
  return `layer.${layer}.${linear}`;
}

/** The key of a sub-module inside encoder layer i ("layer.3.attentionNorm"). */
export function layerKey(layer: number, name: string): string {
  return `layer.${layer}.${name}`;
}

export function weightKey(linear: string): string {
  return `${linear}.weight`;
}

export function biasKey(linear: string): string {
  return `${linear}.bias`;
}

/** The Linear a weight key belongs to ("layer.3.query.weight" → "layer.3.query"), or null. */
export function linearOfWeight(key: string): string | null {
  return key.endsWith('.weight') ? key.slice(0, -'.weight'.length) : null;
}

/** "layer.3.query" → { layer: 3, linear: 'query' }; null for anything else. */
export function parseLayerLinearKey(key: string): { layer: number; linear: LayerLinear } | null {
  const m = /^layer\.(\d+)\.([A-Za-z]+)$/.exec(key);
  if (!m || !(layerLinears as readonly string[]).includes(m[2])) return null;
  return { layer: Number(m[1]), linear: m[2] as LayerLinear };
}

/** LoRA's two factors: A [in, r] (PEFT's lora_A, [r, in]) and B [r, out] (PEFT's lora_B, [out, r]). */
export type LoraPart = 'a' | 'b';
export type LoraKey = `lora:${string}.${LoraPart}`;

/** The trainable-variable key of a LoRA factor: loraKey('layer.0.query', 'a') = "lora:layer.0.query.a". */
export function loraKey(linear: string, part: LoraPart): LoraKey {
  return `lora:${linear}.${part}`;
}

/** The inverse of loraKey; null for a key that is not a LoRA factor (a model parameter). */
export function parseLoraKey(key: string): { linear: string; part: LoraPart } | null {
  const m = /^lora:(.+)\.([ab])$/.exec(key);
  return m ? { linear: m[1], part: m[2] as LoraPart } : null;
}

export function isLoraKey(key: string): key is LoraKey {
  return parseLoraKey(key) !== null;
}

/** A LoRA factor in PEFT's layout, as loraParams exports it: "layer.0.query.lora_A". */
export function peftLoraKey(linear: string, part: LoraPart): string {
  return `${linear}.lora_${part === 'a' ? 'A' : 'B'}`;
}

/** The inverse of peftLoraKey. */
export function parsePeftLoraKey(key: string): { linear: string; part: LoraPart } | null {
  const m = /^(.+)\.lora_([AB])$/.exec(key);
  return m ? { linear: m[1], part: m[2] === 'A' ? 'a' : 'b' } : null;
}

/** Which head a parameter key belongs to by its first segment (the backbone's keys have none of these). */
export type HeadPrefix = 'pooler' | 'mlm' | 'classifier' | 'nsp';
const headPrefixes: readonly HeadPrefix[] = ['pooler', 'mlm', 'classifier', 'nsp'];

export function headOfKey(key: string): HeadPrefix | null {
  const first = key.split('.', 1)[0];
  return (headPrefixes as readonly string[]).includes(first) ? (first as HeadPrefix) : null;
}
