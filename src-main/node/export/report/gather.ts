/**
 * Everything a run's report shows, read from the project: the data and who labelled it, the run
 * and its curves, test results, slices, and the most confident mistakes with their saliency
 * (from the warm explainer process). The model card's sentences are worded here from the figures.
 */
import { BASELINE_RUN_KIND } from '../../../common/baseline';
import { StudioError } from '../../../common/errors';
import type { Explanation, SliceRow } from '../../../common/evaluation';
import { rocCurve } from '../../../common/metrics';
import type { ReportData, ReportMistake } from '../../../common/report';
import { RunEvaluations } from '../../db/evaluation';
import type { Project } from '../../db/project';
import { baselineComparison, Runs } from '../../db/runs';

export type Explain = (runId: number, text: string, target: number) => Promise<Omit<Explanation, 'runId'>>;

/** Mistakes shown with their highlights: enough to see a pattern, few enough to read. */
const mistakesShown = 6;
/** A slice this many points below the overall accuracy is named as a limitation. */
const weakSlicePoints = 5;
/** Curves drawn with more points than this are thinned (evenly, ends kept). */
const maxCurvePoints = 200;

function thin(values: number[], keep: number[]): number[] {
  return keep.map((i) => values[i]!);
}

function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

const words = {
  en: {
    intendedUse: (labels: string, project: string) =>
      `Sorting reviews like those in “${project}” into ${labels}, to help analysts read large volumes: counts, trends, and finding reviews to read. Not for decisions about individual people without a human reading the text.`,
    data: (n: string, train: string, validation: string, test: string, hash: string) =>
      `Trained on ${n} labelled reviews (${train} for training, ${validation} for validation) and scored on ${test} held-out reviews it never saw. Data snapshot ${hash}.`,
    weakSlice: (slice: string, accuracy: string, overall: string) => `Weaker on ${slice}: ${accuracy} correct against ${overall} overall.`,
    changed: (n: string) => `${n} test labels were changed since this run; its figures use the labels it was scored against.`,
    imbalance: (label: string, share: string) => `The labels are unbalanced: ${label} makes up only ${share} of the labelled reviews, so it is the label most often missed.`,
    truncation: (maxLen: string) => `Reviews longer than ${maxLen} tokens are cut before the model reads them.`,
    domain: 'Figures hold for reviews like the labelled ones; other products, periods or writing styles may score lower. Re-check on a fresh labelled sample before relying on it elsewhere.',
    sarcasm: 'Like most sentiment models it misreads sarcasm, mixed opinions and sentiment stated about something other than the product.',
  },
  'zh-CN': {
    intendedUse: (labels: string, project: string) =>
      `把与“${project}”中类似的评论分为${labels}，帮助分析人员阅读大量评论：统计、趋势和挑选值得细读的评论。未经人工阅读原文，不用于对个人作出决定。`,
    data: (n: string, train: string, validation: string, test: string, hash: string) =>
      `用 ${n} 条已标注评论训练（训练 ${train} 条，验证 ${validation} 条），在从未见过的 ${test} 条留出评论上评估。数据快照 ${hash}。`,
    weakSlice: (slice: string, accuracy: string, overall: string) => `在「${slice}」上较弱：正确率 ${accuracy}，总体为 ${overall}。`,
    changed: (n: string) => `本次运行之后有 ${n} 条测试标签被修改；其指标按评估时的标签计算。`,
    imbalance: (label: string, share: string) => `标签不均衡：${label} 只占已标注评论的 ${share}，因此最常被漏判。`,
    truncation: (maxLen: string) => `超过 ${maxLen} 个词元的评论会在模型读取前被截断。`,
    domain: '指标只适用于与已标注评论相似的评论；其他产品、时期或写作风格的评论可能得分更低。在其他场合使用前，请先在新的标注样本上复核。',
    sarcasm: '与大多数情感模型一样，它会误读反讽、褒贬混杂的评论，以及针对产品以外对象的情感。',
  },
} as const;

function sliceName(row: SliceRow, locale: 'en' | 'zh-CN'): string {
  if (row.dimension === 'length') return locale === 'en' ? `reviews of ${row.value} tokens` : `${row.value} 个词元的评论`;
  if (row.dimension === 'negation') return locale === 'en' ? `reviews ${row.value} negation words` : row.value === 'with' ? '含否定词的评论' : '不含否定词的评论';
  const column = row.dimension.replace(/^metadata:/, '');
  return `${column} = ${row.value}`;
}

export async function gatherReport(project: Project, runId: number, options: { appVersion: string; locale: 'en' | 'zh-CN'; explain: Explain | null }): Promise<ReportData> {
  const runs = new Runs(project.db);
  const run = runs.get(runId);
  const test = run.metrics?.test;
  if (!test) throw new StudioError('not-found', `Run ${runId} has no test results to report (its status is ${run.status}).`);
  const locale = options.locale;
  const fmt = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN');
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const summary = project.summary();
  const labels = summary.labels.map((l) => l.name);
  const evaluations = new RunEvaluations(project.db, project.meta);
  const evaluation = evaluations.evaluation(runId);

  const annotatorRows = project.db
    .prepare<[], { annotator: string; origin: string; n: number }>('SELECT annotator, origin, COUNT(*) AS n FROM label_events GROUP BY annotator, origin ORDER BY annotator, origin')
    .all();
  const annotators = new Map<string, { annotator: string; events: number; byOrigin: Record<string, number> }>();
  for (const r of annotatorRows) {
    const entry = annotators.get(r.annotator) ?? { annotator: r.annotator, events: 0, byOrigin: {} };
    entry.events += r.n;
    entry.byOrigin[r.origin] = r.n;
    annotators.set(r.annotator, entry);
  }

  let roc: ReportData['roc'] = null;
  if (labels.length === 2) {
    const scores = evaluation.gold.map((_, i) => evaluation.probabilities[i * 2 + 1]!);
    try {
      const curve = rocCurve(evaluation.gold, scores, 1);
      const keep = evenIndices(curve.fpr.length, maxCurvePoints);
      roc = { fpr: thin(curve.fpr, keep), tpr: thin(curve.tpr, keep), auc: curve.auc };
    } catch {
      roc = null; // one label only in the test split: no curve to draw
    }
  }

  const slices = evaluations.slices(runId);
  const wrong = evaluations.predictions({ runId, outcome: 'wrong', sort: 'confidence-desc', offset: 0, limit: mistakesShown, search: '' });
  const mistakes: ReportMistake[] = [];
  for (const row of wrong.rows) {
    let tokens: ReportMistake['tokens'] = null;
    if (options.explain && run.kind !== BASELINE_RUN_KIND && labels.includes(row.predicted)) {
      try {
        tokens = (await options.explain(runId, row.text, labels.indexOf(row.predicted))).tokens;
      } catch {
        tokens = null; // the report goes out without that highlight rather than not at all
      }
    }
    mistakes.push({ itemId: row.itemId, text: row.text, gold: row.gold, predicted: row.predicted, confidence: row.confidence, tokens });
  }

  const w = words[locale];
  const sizes = run.metrics?.sizes ?? null;
  const limitations: string[] = [];
  for (const s of slices) {
    if (s.n >= 20 && (test.accuracy - s.accuracy) * 100 >= weakSlicePoints) limitations.push(w.weakSlice(sliceName(s, locale), pct(s.accuracy), pct(test.accuracy)));
  }
  const perLabel = labels.map((l) => summary.perLabel[l] ?? 0);
  const total = perLabel.reduce((a, b) => a + b, 0);
  const rarest = perLabel.indexOf(Math.min(...perLabel));
  if (total > 0 && perLabel[rarest]! / total < 0.5 / labels.length) limitations.push(w.imbalance(labels[rarest]!, pct(perLabel[rarest]! / total)));
  const maxLen = run.hyperparameters['maxLen'];
  if (typeof maxLen === 'number') limitations.push(w.truncation(fmt.format(maxLen)));
  if (evaluation.labelsChangedSince > 0) limitations.push(w.changed(fmt.format(evaluation.labelsChangedSince)));
  limitations.push(w.sarcasm, w.domain);

  return {
    generatedAt: new Date().toISOString(),
    appVersion: options.appVersion,
    locale,
    project: {
      name: summary.name,
      items: summary.items,
      labelled: summary.labelled,
      labels: summary.labels.map((l) => ({ name: l.name, color: l.color, count: summary.perLabel[l.name] ?? 0 })),
      annotators: [...annotators.values()].sort((a, b) => b.events - a.events),
      labelEvents: summary.labelEvents,
    },
    run: {
      id: run.id,
      kind: run.kind,
      preset: typeof run.hyperparameters['preset'] === 'string' ? (run.hyperparameters['preset'] as string) : null,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      seconds: run.metrics?.seconds ?? null,
      backend: run.backend,
      seed: run.seed,
      snapshotHash: run.snapshotHash,
      snapshotSize: run.snapshotSize,
      sizes,
      hyperparameters: run.hyperparameters,
      bestEpoch: run.kind === BASELINE_RUN_KIND ? null : (run.metrics?.bestEpoch ?? null),
      stoppedEarly: run.metrics?.stoppedEarly ?? false,
      parentRunId: run.parentRunId,
      labelsChangedSince: evaluation.labelsChangedSince,
    },
    epochs: runs.epochs(runId),
    test,
    roc,
    baseline: baselineComparison(runs, run),
    slices,
    mistakes,
    card: {
      intendedUse: w.intendedUse(labels.join(locale === 'en' ? ', ' : '、'), summary.name),
      data: w.data(fmt.format(run.snapshotSize), fmt.format(sizes?.train ?? 0), fmt.format(sizes?.validation ?? 0), fmt.format(sizes?.test ?? test.n), run.snapshotHash.slice(0, 12)),
      limitations,
    },
  };
}
