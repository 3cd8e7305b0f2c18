import { describe, expect, it } from 'vitest';
import { compileLabelMapping, parseLabelMapArgument, suggestLabelMapping } from '../../../src-main/common/labelMapping';
import { labelSetPresets } from '../../../src-main/common/labels';

const binary = [...labelSetPresets.binary];
const ternary = [...labelSetPresets.ternary];

describe('label mapping', () => {
  it('maps exact names ignoring case and spaces, and reports everything else as unknown', () => {
    const resolve = compileLabelMapping(undefined, binary);
    expect(resolve('Positive ')).toBe('positive');
    expect(resolve('NEGATIVE')).toBe('negative');
    expect(resolve('')).toBeNull();
    expect(resolve('postive')).toBeUndefined();
    expect(resolve('1')).toBeUndefined();
  });

  it('applies explicit maps, with null meaning unlabelled', () => {
    const resolve = compileLabelMapping({ values: { '1': 'positive', '0': 'negative', '?': null } }, binary);
    expect(['1', '0', '?', '2'].map(resolve)).toEqual(['positive', 'negative', null, undefined]);
    expect(() => compileLabelMapping({ values: { x: 'happy' } }, binary)).toThrow(/'happy', which is not one of positive, negative/);
  });

  it('maps star ratings with thresholds, neutral only when the set has it', () => {
    const stars = { values: {}, stars: { negativeMax: 2, positiveMin: 4 } };
    expect(['1', '2', '3', '4', '5', '4.5'].map(compileLabelMapping(stars, ternary))).toEqual([
      'negative', 'negative', 'neutral', 'positive', 'positive', 'positive',
    ]);
    expect(compileLabelMapping(stars, binary)('3')).toBeNull();
  });

  it('suggests mappings for common schemes and lists what it cannot place', () => {
    expect(suggestLabelMapping(['1', '0', '1'], binary).mapping.values).toEqual({ '1': 'positive', '0': 'negative' });
    expect(suggestLabelMapping(['-1', '0', '1'], ternary).mapping.values).toEqual({ '1': 'positive', '0': 'neutral', '-1': 'negative' });
    expect(suggestLabelMapping(['1', '2', '3', '4', '5'], ternary).mapping.stars).toEqual({ negativeMax: 2, positiveMin: 4 });
    const words = suggestLabelMapping(['pos', 'NEG', 'Positive', 'meh'], binary);
    expect(words.mapping.values).toEqual({ pos: 'positive', NEG: 'negative' });
    expect(words.unmapped).toEqual(['meh']);
  });

  it('parses --label-map', () => {
    expect(parseLabelMapArgument('1=positive, 0=negative,skip=')).toEqual({ '1': 'positive', '0': 'negative', skip: null });
    expect(() => parseLabelMapArgument('positive')).toThrow(/not value=label/);
  });
});
