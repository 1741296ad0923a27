import { describe, expect, it } from 'vitest';
import { headOfKey, isLoraKey, layerLinearKey, linearOfWeight, loraKey, parseLayerLinearKey, parseLoraKey, parsePeftLoraKey, peftLoraKey } from './keys';

describe('parameter keys', () => {
  it('LoRA factor keys round-trip, and nothing else parses as one', () => {
    expect(loraKey('layer.3.query', 'a')).toBe('lora:layer.3.query.a');
    expect(parseLoraKey(loraKey('layer.11.attentionOutput', 'b'))).toEqual({ linear: 'layer.11.attentionOutput', part: 'b' });
    for (const key of ['layer.3.query.weight', 'lora:layer.3.query.c', 'lora:.a', 'classifier.bias']) expect(parseLoraKey(key)).toBeNull();
    expect(isLoraKey('lora:pooler.a')).toBe(true);
  });

  it('PEFT-layout names round-trip', () => {
    expect(peftLoraKey('layer.0.value', 'a')).toBe('layer.0.value.lora_A');
    expect(parsePeftLoraKey('layer.0.value.lora_B')).toEqual({ linear: 'layer.0.value', part: 'b' });
    expect(parsePeftLoraKey('layer.0.value.weight')).toBeNull();
  });

  it('layer Linears and head prefixes', () => {
    expect(layerLinearKey(2, 'intermediate')).toBe('layer.2.intermediate');
    expect(parseLayerLinearKey('layer.2.intermediate')).toEqual({ layer: 2, linear: 'intermediate' });
    expect(parseLayerLinearKey('layer.2.attentionNorm')).toBeNull();
    expect(linearOfWeight('layer.2.query.weight')).toBe('layer.2.query');
    expect(headOfKey('classifier.dense.weight')).toBe('classifier');
    expect(headOfKey('mlm.bias')).toBe('mlm');
    expect(headOfKey('embeddings.word')).toBeNull();
    expect(headOfKey('layer.0.output.bias')).toBeNull();
  });
});
