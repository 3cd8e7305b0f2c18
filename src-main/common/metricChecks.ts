/**
 * Shared checks and zero-safe arithmetic of the evaluation figures (scikit-learn conventions).
 */
import { StudioError } from './errors';
import { formatCount } from './format';

export const logLossClip = 1e-7;

export function invalid(message: string): StudioError {
  return new StudioError('invalid-input', message);
}

/** 0 rather than NaN when nothing was predicted or nothing was there (scikit-learn's zero_division=0). */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** 2tp / (2tp + fp + fn): equal to the harmonic mean of P and R, and defined (as 0) when they are not. */
export function f1Score(tp: number, fp: number, fn: number): number {
  return ratio(2 * tp, 2 * tp + fp + fn);
}

export function requireRows(n: number): void {
  if (n === 0) throw invalid('there are no reviews to evaluate: the evaluation set is empty');
}

export function requireSameLength(truth: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (truth.length !== scores.length) {
    throw invalid(`there are ${formatCount(truth.length)} true labels but ${formatCount(scores.length)} scores`);
  }
}

export function requireIndex(name: string, value: number, k: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= k) {
    throw invalid(`${name} ${value} is not a label index between 0 and ${k - 1}`);
  }
}
