/**
 * The labelling assistant: after every N new labels it retrains quick models in the background,
 * re-scores the unlabelled items and so refreshes the suggestions (pre-labels) and the "Most
 * useful next" queue. Optionally it labels the items it is surest of itself, with origin 'model'
 * so those labels can always be told apart (and filtered or undone) later.
 *
 * Each refresh trains the `fast` preset and, alongside on the same snapshot, the NBSVM baseline,
 * then suggests with whichever scored higher on the validation split. Measured on IMDB (docs/
 * benchmarks.md, active learning): with a few hundred to a few thousand labels the n-gram model is
 * 10–15 points ahead of the small GRU, and ranking by its margin is what lets the uncertainty
 * queue beat random order; with many labels the GRU takes over.
 */
import { z } from 'zod';

export const assistSettingsSchema = z.object({
  /** Refresh by itself after `every` new labels. */
  auto: z.boolean().default(true),
  every: z.number().int().min(20).max(100_000).default(200),
  /** Label unlabelled items whose suggestion is at least this sure (origin 'model'); null: never. */
  autoAcceptAbove: z.number().min(0.5).max(1).nullable().default(null),
});
export type AssistSettings = z.infer<typeof assistSettingsSchema>;

/** A change to some settings: no defaults here, or every field left out would be reset. */
export const assistSettingsChangeSchema = z.object({
  auto: z.boolean().optional(),
  every: z.number().int().min(20).max(100_000).optional(),
  autoAcceptAbove: z.number().min(0.5).max(1).nullable().optional(),
});

export const defaultAssistSettings: AssistSettings = assistSettingsSchema.parse({});

/** 'training' and 'scoring' are a refresh in progress; 'failed' keeps the last suggestions. */
export type AssistState = 'idle' | 'training' | 'scoring' | 'failed';

export interface AssistChoice {
  runId: number;
  /** 'recurrent' (the fast preset) or 'baseline' (NBSVM). */
  model: 'recurrent' | 'baseline';
  validationAccuracy: number | null;
  /** The other candidate, when there was one. */
  other: { runId: number; model: 'recurrent' | 'baseline'; validationAccuracy: number | null } | null;
}

export interface AssistStatus {
  settings: AssistSettings;
  state: AssistState;
  /** The background run in progress, while training. */
  runId: number | null;
  /** Scoring progress while scoring. */
  scored: { done: number; total: number } | null;
  /** New labels (by people) since the last refresh began, counted up to `settings.every`, where the next one starts. */
  labelsSinceRefresh: number;
  /** When the current suggestions were made, and by which model (null: none yet). */
  refreshedAt: string | null;
  choice: AssistChoice | null;
  /** Labels the last refresh set by itself (auto-accept), and their actions (one per label) to undo them. */
  autoAccepted: number;
  autoAcceptedActions: number[];
  /** Why the last refresh failed (state 'failed'). */
  error: string | null;
}

/** The minimum labels per label a refresh needs: fewer, and neither model can be judged. */
export const assistMinimumPerLabel = 10;
