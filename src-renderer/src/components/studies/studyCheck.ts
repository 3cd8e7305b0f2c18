/**
 * The study as the main process will judge it: the shared `planStudy` run in the renderer, so a
 * bad candidate is flagged beside its field while typing rather than refused after Start.
 */
import { HyperparameterError } from '@common/hyperparameters';
import { planStudy, type StudyPlan, type StudyRequest } from '@common/studies';

export interface StudyCheck {
  plan: StudyPlan | null;
  /** Problems by field name, in the shared schema's words. */
  issues: Record<string, string[]>;
  /** A problem that belongs to no one field. */
  error: string | null;
}

export function checkStudy(request: StudyRequest | null): StudyCheck {
  if (!request) return { plan: null, issues: {}, error: null };
  try {
    return { plan: planStudy(request), issues: {}, error: null };
  } catch (error) {
    if (error instanceof HyperparameterError) {
      const issues: Record<string, string[]> = {};
      for (const issue of error.issues) (issues[issue.field] ??= []).push(issue.message);
      return { plan: null, issues, error: null };
    }
    return { plan: null, issues: {}, error: error instanceof Error ? error.message : String(error) };
  }
}
