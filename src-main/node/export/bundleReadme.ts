/**
 * The README inside a model bundle: what the model is, how well it did, and how to load it.
 */
import type { RunRecord } from '../db/runs';

export function bundleReadme(labels: string[], run: RunRecord): string {
  const test = run.metrics?.test;
  const hp = run.hyperparameters;
  const binary = labels.length === 2;
  const score = test
    ? `Test accuracy ${(100 * test.accuracy).toFixed(2)}%, macro-F1 ${test.macroF1.toFixed(3)} on ${test.n} held-out reviews.`
    : 'No test set was available for this run.';
  return `# Sentiment model (Sentiment Studio run ${run.id})

Labels: ${labels.join(', ')}. ${score}
Model: Embedding(${hp['embedDim']}) -> ${hp['bidirectional'] ? 'bidirectional ' : ''}${String(hp['cell']).toUpperCase()}(${hp['units']}) x ${hp['layers']} -> ${hp['pooling']} pooling -> Dense.
Trained on ${run.snapshotSize} labelled items (snapshot ${run.snapshotHash.slice(0, 12)}), backend ${run.backend}.

## Files
- \`model.json\`, \`weights.bin\`: a standard TensorFlow.js LayersModel; \`tf.loadLayersModel\` loads it, no custom layers.
- \`tokenizer.json\`: vocabulary (index = token id; 0 padding, 1 unknown), normalisation rules, \`maxLen\`, padding and truncating sides.
- \`labels.json\`: label order; ${binary ? `one sigmoid output, the probability of "${labels[1]}"` : 'one softmax output per label'}.
- \`metadata.json\`: hyperparameters, data snapshot hash, metrics, backend, app version, date.

## Use it (Node.js, plain @tensorflow/tfjs, save as \`classify.mjs\` in this folder)
The input is token ids of length \`maxLen\`. This tokenizes like the studio for plain English text
(lower-case, HTML tags removed, words and single punctuation marks, unknown words -> 1, padded and
truncated as \`tokenizer.json\` says):

\`\`\`js
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
const tok = JSON.parse(readFileSync('tokenizer.json', 'utf8')), json = JSON.parse(readFileSync('model.json', 'utf8')), bin = readFileSync('weights.bin');
const ids = new Map(tok.vocabulary.map((t, i) => [t, i]));
const words = (s) => s.toLowerCase().replace(/<[^>]+>/g, ' ').match(/[\\p{L}\\p{N}]+(?:'\\p{L}+)*|[^\\s\\p{L}\\p{N}]/gu) ?? [];
const cut = (x) => (tok.truncating === 'pre' ? x.slice(-tok.maxLen) : x.slice(0, tok.maxLen));
const encode = (s) => { const x = cut(words(s).map((w) => ids.get(w) ?? 1)), pad = Array(tok.maxLen - x.length).fill(0); return tok.padding === 'pre' ? [...pad, ...x] : [...x, ...pad]; };
const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length) }));
const texts = ['A wonderful, moving film.'];
console.log(JSON.stringify(Array.from(model.predict(tf.tensor2d(texts.map(encode), undefined, 'int32')).dataSync())));
\`\`\`

For exact parity on any text (URLs, emoji, repeated punctuation, Chinese/Japanese segmentation) use the
studio's \`predict\` command: \`sentiment-studio predict --model <this folder> reviews.csv --out scored.csv\`.
`;
}
