// Writes the pretraining cases of test/pretrainCases.ts as Hugging Face folders, with our outputs,
// for scripts/fixtures/check_pretrain.py to load with transformers:
//
//   node --import tsx scripts/pretrainCheck.ts <dir>
//   python3 scripts/fixtures/check_pretrain.py <dir> test/fixtures/pretrain/transformers.json
//
// <dir>/<case> holds each toy folder (the default model is read from resources/); <dir>/cases.json
// the inputs and our outputs per case.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerGradients } from '../main/jobs/compute/gradientsBundle';
import { buildPretrainCases } from '../test/pretrainCases';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node --import tsx scripts/pretrainCheck.ts <dir>');
await tf.setBackend('cpu');
registerGradients(); // tfjs's gradients from dist/ (npm run build), then ours
mkdirSync(dir, { recursive: true });
const { cases } = await buildPretrainCases(dir);
writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
for (const c of cases) console.log(c.name, c.folder, `${c.inputs.inputIds.length} × ${c.inputs.inputIds[0].length} tokens`);
