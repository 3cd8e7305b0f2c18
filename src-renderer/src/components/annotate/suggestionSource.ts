/**
 * Where a suggestion came from, as the store names it: "run 12" (a run's model), "run 12
 * (background)" (the labelling assistant's refresh) or an exported bundle's folder name.
 */
export type SuggestionSource = { kind: 'run'; runId: string } | { kind: 'background'; runId: string } | { kind: 'bundle'; name: string };

export function parseSource(source: string): SuggestionSource {
  const run = /^run (\d+)( \(background\))?$/.exec(source);
  if (!run) return { kind: 'bundle', name: source };
  return run[2] ? { kind: 'background', runId: run[1]! } : { kind: 'run', runId: run[1]! };
}
