/**
 * The README of an exported baseline: what the model is, and how to score a text with nothing but
 * `baseline.json` and plain JavaScript. A unit test runs the snippet below in a fresh `node` process
 * and compares it with predictBaseline, so the README cannot drift from the file format.
 */
import { formatCount } from '../../common/format';
import type { BaselineModel } from './model';

/** Plain JavaScript (no imports): `score(model, units)` -> probabilities in label order. */
export const scoringSnippet = String.raw`function score(model, units) {
  const index = (model.index ??= new Map(model.vocabulary.map((gram, j) => [gram, j])));
  const [shortest, longest] = model.features.ngramRange, join = model.features.units === 'words' ? ' ' : '', seen = new Set();
  for (let n = shortest; n <= longest; n++)
    for (let i = 0; i + n <= units.length; i++) seen.add(index.get(units.slice(i, i + n).join(join)));
  seen.delete(undefined);
  const sums = model.bias.map((bias, c) => [...seen].reduce((sum, j) => sum + model.weights[c][j], bias));
  const p = sums.map((s) => 1 / (1 + Math.exp(-s)));
  if (p.length === 1) return [1 - p[0], p[0]];
  const total = p.reduce((a, b) => a + b);
  return p.map((v) => v / total);
}`;

const unitsHelp = {
  words: String.raw`// Words as the studio splits them (lower case, HTML removed, punctuation apart). Close for plain text:
const units = text.normalize('NFKC').toLowerCase().match(/\d+(?:[.,]\d+)+|[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|([^\s\p{L}\p{N}])\1{0,2}/gu) ?? [];`,
  characters: String.raw`// Characters of the normalised text, each run of whitespace as one space:
const units = Array.from(text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim());`,
};

export function baselineReadme(model: BaselineModel): string {
  const { units, ngramRange, minCount } = model.features;
  const twoLabels = model.labels.length === 2;
  return `# Sentiment Studio baseline model (NBSVM)

Labels: ${model.labels.map((label) => `\`${label}\``).join(', ')}.

A bag-of-n-grams classifier (Wang & Manning 2012, "Baselines and Bigrams"): binary ${units === 'words' ? 'word' : 'character'} ${ngramRange[0]}–${ngramRange[1]}-grams
(${formatCount(model.vocabulary.length)} of them, each found in at least ${formatCount(minCount)} training texts), scaled by the naive-Bayes log-count ratio,
then L2-regularised logistic regression (C = ${model.training.C}, trained on ${formatCount(model.training.trainingTexts)} texts)${twoLabels ? '' : ', one label against the rest'}.

## Files
- \`baseline.json\`: \`vocabulary\` (the n-grams; a word n-gram joins its words with one space), \`weights\`
  (${twoLabels ? `one row: the score of \`${model.labels[1]}\`` : 'one row per label'}, the naive-Bayes ratio already multiplied in), \`bias\`, \`labels\`,
  \`features\` and \`tokenizer\` (the normalisation and word-splitting rules the model was trained with).

## Scoring a text in plain JavaScript
A label's score is its bias plus its weights over the distinct n-grams of the text; a sigmoid turns
it into a probability${twoLabels ? '' : ', and the labels\' probabilities are divided by their sum'}.

\`\`\`js
${scoringSnippet}
\`\`\`

\`\`\`js
import { readFileSync } from 'node:fs';
const model = JSON.parse(readFileSync('baseline.json', 'utf8'));
${unitsHelp[units]}
console.log(Object.fromEntries(score(model, units).map((p, c) => [model.labels[c], p])));
\`\`\`

Sentiment Studio itself also decodes HTML entities and folds URLs and @mentions into \`<url>\` and
\`<user>\`, exactly as recorded in \`tokenizer\`; the one-line splitter above is an approximation.
`;
}
