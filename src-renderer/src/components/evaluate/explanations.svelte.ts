/**
 * Token saliency requests for one run, shared by the list's inline highlights and the detail
 * view: each (review, label) is asked for once, and what came back (or the handler's message,
 * e.g. that a baseline run cannot be explained) is kept until the run changes.
 */
import type { Explanation } from '@common/evaluation';
import { call, errorMessage } from '../../lib/studio';

export type ExplanationState =
  | { status: 'loading' }
  | { status: 'done'; explanation: Explanation }
  | { status: 'error'; message: string };

export class Explanations {
  private runId: number | null = null;
  states = $state<Record<string, ExplanationState>>({});

  private static key(itemId: number, label: string): string {
    return `${itemId}\u0000${label}`;
  }

  forRun(runId: number | null): void {
    if (runId === this.runId) return;
    this.runId = runId;
    this.states = {};
  }

  get(itemId: number, label: string): ExplanationState | null {
    return this.states[Explanations.key(itemId, label)] ?? null;
  }

  /** Asks the explainer unless this one is known or on its way; an error is asked again. */
  async request(itemId: number, label: string): Promise<void> {
    const runId = this.runId;
    if (runId === null) return;
    const key = Explanations.key(itemId, label);
    const known = this.states[key];
    if (known && known.status !== 'error') return;
    this.states[key] = { status: 'loading' };
    let next: ExplanationState;
    try {
      next = { status: 'done', explanation: await call('runs:explain', { runId, itemId, target: label }) };
    } catch (error) {
      next = { status: 'error', message: errorMessage(error) };
    }
    if (runId === this.runId) this.states[key] = next;
  }
}
