/**
 * A run's hyperparameters as the report lists them: the training form's names in the reader's
 * language, values in its number format, and the architecture said in one sentence.
 */
import { BASELINE_RUN_KIND } from '../../../common/baseline';
import type { ReportData } from '../../../common/report';
import type { Words } from './reportFormat';
import type { WordKey } from './reportText';

type Names = Record<string, readonly [en: string, zh: string]>;

/** Same words as the training form (messages/en/train.ts and zh/train.ts). */
const recurrentNames: Names = {
  vocabSize: ['Vocabulary size', '词表大小'],
  minCount: ['Minimum word count', '最低词频'],
  maxLen: ['Max length (tokens)', '最大长度（词元）'],
  padding: ['Padding side', '填充位置'],
  truncating: ['Truncating side', '截断位置'],
  lowercase: ['Lowercase', '转为小写'],
  embedDim: ['Embedding size', '词向量维度'],
  cell: ['Recurrent cell', '循环单元'],
  units: ['Units', '单元数'],
  layers: ['Layers', '层数'],
  bidirectional: ['Bidirectional', '双向'],
  pooling: ['Pooling', '池化'],
  masking: ['Masking', '掩码'],
  embeddingDropout: ['Embedding dropout', '词向量 Dropout'],
  dropout: ['Dropout', 'Dropout'],
  recurrentDropout: ['Recurrent dropout', '循环 Dropout'],
  optimizer: ['Optimizer', '优化器'],
  learningRate: ['Learning rate', '学习率'],
  momentum: ['Momentum', '动量'],
  clipNorm: ['Gradient clipping', '梯度裁剪'],
  batchSize: ['Batch size', '批大小'],
  epochs: ['Epochs', '训练轮数'],
  patience: ['Early-stopping patience', '提前停止耐心值'],
  classWeights: ['Class weights', '类别权重'],
  validationSplit: ['Validation share', '验证集比例'],
  trainFraction: ['Training share', '训练集使用比例'],
  seed: ['Seed', '随机种子'],
  freezeEmbedding: ['Freeze embedding', '冻结词向量'],
};

/** The baseline's `units` are what an n-gram is made of, not a layer's size. */
const baselineNames: Names = {
  ...recurrentNames,
  units: ['N-gram units', 'n-gram 单位'],
  minCount: ['Minimum n-gram count', '最低 n-gram 频次'],
};

export function isBaselineRun(kind: string): boolean {
  return kind === BASELINE_RUN_KIND;
}

export function modelName(kind: string, words: Words): string {
  if (kind === 'lstm' || kind === 'gru' || kind === 'nbsvm') return words.t(`model.${kind}` as WordKey);
  return kind.toUpperCase();
}

function valueText(value: unknown, words: Words): string {
  if (typeof value === 'boolean') return words.t(value ? 'value.yes' : 'value.no');
  if (typeof value === 'number') return words.number(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return words.t('value.none');
  return JSON.stringify(value);
}

export function hyperparameterRows(run: ReportData['run'], words: Words): { name: string; key: string; value: string }[] {
  const names = isBaselineRun(run.kind) ? baselineNames : recurrentNames;
  const column = words.locale === 'zh-CN' ? 1 : 0;
  return Object.entries(run.hyperparameters).map(([key, value]) => ({ key, name: names[key]?.[column] ?? key, value: valueText(value, words) }));
}

/** "Reads up to 400 tokens … a sigmoid output gives the probability of each label." */
export function architectureSentence(run: ReportData['run'], labelCount: number, words: Words): string {
  if (isBaselineRun(run.kind)) return words.t('arch.baseline');
  const hp = run.hyperparameters;
  const num = (key: string) => (typeof hp[key] === 'number' ? (hp[key] as number) : null);
  const [maxLen, vocab, embed, units, layers] = ['maxLen', 'vocabSize', 'embedDim', 'units', 'layers'].map(num);
  const cell = typeof hp['cell'] === 'string' ? hp['cell'].toUpperCase() : null;
  const pooling = hp['pooling'];
  if (maxLen === null || vocab === null || embed === null || units === null || layers === null || cell === null || (pooling !== 'last' && pooling !== 'max' && pooling !== 'mean')) {
    return words.t('arch.other', { model: modelName(run.kind, words) });
  }
  const stack = words.t(layers === 1 ? 'arch.stack.one' : 'arch.stack.other', {
    layers: words.count(layers),
    units: words.count(units),
    cell,
    bidirectional: hp['bidirectional'] === true ? words.t('arch.bidirectional') : '',
  });
  return words.t('arch.recurrent', {
    maxLen: words.count(maxLen),
    vocab: words.count(vocab),
    embed: words.count(embed),
    stack,
    pooling: words.t(`arch.pooling.${pooling}`),
    // A two-label model has one sigmoid output (bundleReadme.ts), more labels a softmax.
    output: labelCount === 2 ? 'sigmoid' : 'softmax',
  });
}
