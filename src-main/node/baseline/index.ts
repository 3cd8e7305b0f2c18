export { trainBaseline, defaultCGrid } from './train';
export type { BaselineData, BaselineOptions, BaselineProgress, BaselineTrainResult } from './train';
export { predictBaseline, serializeBaseline, deserializeBaseline, baselineUnits } from './model';
export type { BaselineModel } from './model';
export { baselineReadme, scoringSnippet } from './readme';
