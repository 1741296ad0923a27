// Creates resources/models/shirabe-tiny-ja: a small, randomly initialised Japanese BERT (masked-LM
// head) with a character vocabulary, so every workflow runs offline on a fresh install. Fully
// reproducible: the same seed gives the same bytes. Issue 5 replaces it with a model Shirabe
// pretrains itself.
//
//   node scripts/make-default-model.mjs [OUTDIR]
//
// Vocabulary: BERT's five special tokens, printable ASCII, then every character of JIS X 0208
// (kana, symbols, level-1 and level-2 kanji) in code order, decoded from EUC-JP with iconv-lite:
// no corpus text is needed, so nothing under a corpus licence ships in the model.
import iconv from 'iconv-lite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'resources', 'models', 'shirabe-tiny-ja');
const seed = 20261123;

const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const vocab = [...specials];
const seen = new Set(vocab);
const add = (t) => {
  if (!seen.has(t)) {
    seen.add(t);
    vocab.push(t);
  }
};
for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c));
for (let row = 0xa1; row <= 0xf4; row++) {
  for (let cell = 0xa1; cell <= 0xfe; cell++) {
    const ch = iconv.decode(Buffer.from([row, cell]), 'EUC-JP');
    // Unassigned codes decode to U+FFFD; NFKC-changed characters (full-width ASCII…) never reach the
    // vocabulary lookup because the tokenizer normalises first, so they are left out.
    if (ch.length === 1 && ch !== '\ufffd' && ch.normalize('NFKC') === ch) add(ch);
  }
}

const config = {
  architectures: ['BertForMaskedLM'],
  model_type: 'bert',
  vocab_size: vocab.length,
  hidden_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 512,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  tie_word_embeddings: true,
  shirabe: { createdBy: 'scripts/make-default-model.mjs', seed, init: 'normal(0, 0.02), LayerNorm 1/0, biases 0 (transformers BertPreTrainedModel._init_weights)' },
};

// mulberry32 + Box–Muller: a seeded normal generator.
let state = seed >>> 0;
function uniform() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal(std) {
  const u = 1 - uniform();
  const v = uniform();
  return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const H = config.hidden_size;
const I = config.intermediate_size;
const tensors = [];
const init = (name, shape, kind) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (kind === 'normal') for (let i = 0; i < n; i++) data[i] = normal(config.initializer_range);
  else if (kind === 'one') data.fill(1);
  if (kind === 'normal' && name === 'bert.embeddings.word_embeddings.weight') data.fill(0, 0, H); // padding_idx row is zero
  tensors.push({ name, shape, data });
};
init('bert.embeddings.word_embeddings.weight', [vocab.length, H], 'normal');
init('bert.embeddings.position_embeddings.weight', [config.max_position_embeddings, H], 'normal');
init('bert.embeddings.token_type_embeddings.weight', [config.type_vocab_size, H], 'normal');
init('bert.embeddings.LayerNorm.weight', [H], 'one');
init('bert.embeddings.LayerNorm.bias', [H], 'zero');
for (let l = 0; l < config.num_hidden_layers; l++) {
  const p = `bert.encoder.layer.${l}`;
  for (const [n, o, i] of [
    ['attention.self.query', H, H],
    ['attention.self.key', H, H],
    ['attention.self.value', H, H],
    ['attention.output.dense', H, H],
    ['intermediate.dense', I, H],
    ['output.dense', H, I],
  ]) {
    init(`${p}.${n}.weight`, [o, i], 'normal');
    init(`${p}.${n}.bias`, [o], 'zero');
  }
  for (const n of ['attention.output.LayerNorm', 'output.LayerNorm']) {
    init(`${p}.${n}.weight`, [H], 'one');
    init(`${p}.${n}.bias`, [H], 'zero');
  }
}
init('cls.predictions.transform.dense.weight', [H, H], 'normal');
init('cls.predictions.transform.dense.bias', [H], 'zero');
init('cls.predictions.transform.LayerNorm.weight', [H], 'one');
init('cls.predictions.transform.LayerNorm.bias', [H], 'zero');
init('cls.predictions.bias', [vocab.length], 'zero');

// safetensors: u64 header length, JSON header (padded with spaces to 8 bytes), raw data.
const header = { __metadata__: { format: 'pt' } };
let offset = 0;
for (const t of tensors) {
  header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
  offset += t.data.byteLength;
}
let json = JSON.stringify(header);
json += ' '.repeat((8 - (json.length % 8)) % 8);
const headerBytes = Buffer.from(json, 'utf8');
const file = Buffer.alloc(8 + headerBytes.length + offset);
file.writeBigUInt64LE(BigInt(headerBytes.length), 0);
headerBytes.copy(file, 8);
let at = 8 + headerBytes.length;
for (const t of tensors) {
  Buffer.from(t.data.buffer).copy(file, at);
  at += t.data.byteLength;
}

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
writeFileSync(join(out, 'model.safetensors'), file);
writeFileSync(join(out, 'vocab.txt'), vocab.join('\n') + '\n');
writeFileSync(
  join(out, 'tokenizer_config.json'),
  JSON.stringify(
    {
      tokenizer_class: 'BertJapaneseTokenizer',
      word_tokenizer_type: 'mecab',
      subword_tokenizer_type: 'character',
      do_lower_case: false,
      model_max_length: 512,
      unk_token: '[UNK]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      cls_token: '[CLS]',
      mask_token: '[MASK]',
    },
    null,
    2,
  ) + '\n',
);
writeFileSync(join(out, 'special_tokens_map.json'), JSON.stringify({ unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' }, null, 2) + '\n');
writeFileSync(
  join(out, 'README.md'),
  `# shirabe-tiny-ja\n\nA small Japanese BERT (2 layers, hidden 128, 2 heads, ${vocab.length} character tokens) with **random weights** (seed ${seed}),\nmade by \`node scripts/make-default-model.mjs\` so every Shirabe workflow runs offline. It is not trained:\nits embeddings reflect characters and positions only. Tokenizer: MeCab (IPADIC) words split into characters,\nas cl-tohoku/bert-base-japanese-char does. Vocabulary: printable ASCII and the characters of JIS X 0208.\n`,
);
console.log(`wrote ${out}: ${vocab.length} tokens, ${tensors.reduce((a, t) => a + t.data.length, 0)} parameters, ${file.length} bytes`);
