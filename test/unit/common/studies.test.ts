import { describe, expect, it } from 'vitest';
import { HyperparameterError } from '../../../src-main/common/hyperparameters';
import { bestTrialIndex, curveOutlook, planStudy, studyRequestSchema, type StudyTrial } from '../../../src-main/common/studies';

const search = (input: Record<string, unknown>) => studyRequestSchema.parse({ kind: 'search', ...input });

function trial(index: number, bestValAccuracy: number | null, extra: Partial<StudyTrial> = {}): StudyTrial {
  const base: StudyTrial = { index, params: {}, runId: index + 1, runDeleted: false, status: 'done', trainSize: null, bestValAccuracy, valLoss: null, testAccuracy: null, testMacroF1: null, seconds: null };
  return { ...base, ...extra };
}

describe('planStudy', () => {
  it('plans a learning curve as sorted, distinct shares of the training labels', () => {
    const plan = planStudy(studyRequestSchema.parse({ kind: 'learning-curve', fractions: [1, 0.25, 0.5, 0.25] }));
    expect(plan.trials.map((t) => t.params)).toEqual([{ trainFraction: 0.25 }, { trainFraction: 0.5 }, { trainFraction: 1 }]);
    expect(studyRequestSchema.parse({ kind: 'learning-curve' })).toMatchObject({ fractions: [0.1, 0.25, 0.5, 1], preset: 'fast' });
  });

  it('runs the whole grid when it fits the budget, and a seeded random part of it when not', () => {
    const dims = [
      { field: 'units', values: [16, 32, 64] },
      { field: 'cell', values: ['lstm', 'gru'] },
    ];
    const full = planStudy(search({ strategy: 'grid', dimensions: dims, budget: 6 }));
    expect(full.trials).toHaveLength(6);
    expect(full.note).toBeNull();
    expect(new Set(full.trials.map((t) => JSON.stringify(t.params))).size).toBe(6);
    const part = planStudy(search({ strategy: 'grid', dimensions: dims, budget: 4, seed: 3 }));
    expect(part.trials).toHaveLength(4);
    expect(part.note).toContain('6 combinations');
    expect(planStudy(search({ strategy: 'grid', dimensions: dims, budget: 4, seed: 3 }))).toEqual(part);
    expect(part.trials.every((t) => full.trials.some((f) => JSON.stringify(f.params) === JSON.stringify(t.params)))).toBe(true);
  });

  it('samples ranges (log scale, whole numbers) within bounds and never repeats a combination', () => {
    const plan = planStudy(
      search({
        strategy: 'random',
        budget: 12,
        dimensions: [
          { field: 'learningRate', min: 1e-4, max: 1e-2, log: true },
          { field: 'units', min: 8, max: 64 },
        ],
      }),
    );
    expect(plan.trials).toHaveLength(12);
    for (const { params } of plan.trials) {
      expect(params['learningRate']).toBeGreaterThanOrEqual(1e-4);
      expect(params['learningRate']).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(params['units'])).toBe(true);
    }
    // Log-uniform: about half the draws fall below the geometric middle, 1e-3.
    const below = plan.trials.filter((t) => (t.params['learningRate'] as number) < 1e-3).length;
    expect(below).toBeGreaterThan(2);
    expect(below).toBeLessThan(10);
  });

  it('runs fewer trials than the budget when the listed values run out, and says so', () => {
    const plan = planStudy(search({ strategy: 'random', budget: 10, dimensions: [{ field: 'bidirectional', values: [true, false] }] }));
    expect(plan.trials).toHaveLength(2);
    expect(plan.note).toContain('Only 2 different combinations');
  });

  it('reports every bad value before any trial starts, naming the field', () => {
    const attempt = () =>
      planStudy(
        search({
          strategy: 'grid',
          dimensions: [
            { field: 'units', values: [32, 5000] },
            { field: 'cell', values: ['lstm', 'transformer'] },
            { field: 'dropout', min: 0.1, max: 0.5 },
          ],
        }),
      );
    expect(attempt).toThrow(HyperparameterError);
    try {
      attempt();
    } catch (error) {
      const fields = (error as HyperparameterError).issues.map((i) => i.field);
      expect(fields).toEqual(expect.arrayContaining(['units', 'cell', 'dropout']));
      expect((error as Error).message).toContain('5,000 is above the maximum 1,024');
    }
    expect(() => planStudy(search({ strategy: 'random', dimensions: [{ field: 'cell', min: 1, max: 2 }] }))).toThrow(/list its values/);
    expect(() => planStudy(search({ strategy: 'random', dimensions: [{ field: 'learningRate', min: 0.01, max: 0.001 }] }))).toThrow(/is empty/);
    // Combined with the base overrides: momentum without sgd is refused for every trial.
    expect(() => planStudy(search({ overrides: { momentum: 0.9 }, dimensions: [{ field: 'units', values: [8] }] }))).toThrow(/momentum/);
  });
});

describe('choosing and reading results', () => {
  it('ranks trials by validation accuracy, ties by validation loss', () => {
    expect(bestTrialIndex([trial(0, 0.8), trial(1, null), trial(2, 0.85, { valLoss: 0.4 }), trial(3, 0.85, { valLoss: 0.3 })])).toBe(3);
    expect(bestTrialIndex([trial(0, null)])).toBeNull();
  });

  it('reads the last step of a learning curve as points gained per doubling of the labels', () => {
    const rising = curveOutlook([trial(0, 0.7, { trainSize: 100 }), trial(1, 0.76, { trainSize: 200 }), trial(2, 0.8, { trainSize: 400 })]);
    expect(rising?.verdict).toBe('rising');
    expect(rising?.gainPerDoubling).toBeCloseTo(4, 5);
    expect(curveOutlook([trial(0, 0.8, { trainSize: 250 }), trial(1, 0.801, { trainSize: 1000 })])?.verdict).toBe('flat');
    expect(curveOutlook([trial(0, 0.8, { trainSize: 250 })])).toBeNull();
  });
});

describe('large grids', () => {
  it('samples a grid of billions of combinations without building it', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 8);
    const dimensions = ['units', 'embedDim', 'maxLen', 'vocabSize'].map((field) => ({ field, values: field === 'vocabSize' ? values.map((v) => v * 100) : values }));
    const more = [
      { field: 'batchSize', values },
      { field: 'epochs', values },
      { field: 'patience', values },
      { field: 'minCount', values },
    ];
    // Building the grid would need 25.6 billion objects: planning at all shows it is not built.
    const plan = planStudy(search({ strategy: 'grid', budget: 100, dimensions: [...dimensions, ...more] }));
    expect(plan.trials).toHaveLength(100);
    expect(plan.note).toContain('25,600,000,000 combinations');
    expect(new Set(plan.trials.map((t) => JSON.stringify(t.params))).size).toBe(100);
  });
});
