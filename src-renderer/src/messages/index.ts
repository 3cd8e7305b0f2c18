/**
 * The message catalogue: one module per screen and language, merged here. English defines the
 * keys; each Chinese module must have exactly the same keys (checked by its `satisfies`), so a
 * string added in one language and forgotten in the other fails the type check.
 */
import { common as enCommon } from './en/common';
import { common as zhCommon } from './zh/common';
import { annotate as enAnnotate } from './en/annotate';
import { annotate as zhAnnotate } from './zh/annotate';
import { importWizard as enImport } from './en/import';
import { importWizard as zhImport } from './zh/import';
import { shell as enShell } from './en/shell';
import { shell as zhShell } from './zh/shell';
import { start as enStart } from './en/start';
import { start as zhStart } from './zh/start';
import { train as enTrain } from './en/train';
import { train as zhTrain } from './zh/train';
import { runs as enRuns } from './en/runs';
import { runs as zhRuns } from './zh/runs';
import { studies as enStudies } from './en/studies';
import { studies as zhStudies } from './zh/studies';
import { fields as enFields } from './en/fields';
import { fields as zhFields } from './zh/fields';
import { evaluate as enEvaluate } from './en/evaluate';
import { evaluate as zhEvaluate } from './zh/evaluate';
import { labelcheck as enLabelcheck } from './en/labelcheck';
import { labelcheck as zhLabelcheck } from './zh/labelcheck';
import { predict as enPredict } from './en/predict';
import { predict as zhPredict } from './zh/predict';
import { exports as enExports } from './en/exports';
import { exports as zhExports } from './zh/exports';
import { assist as enAssist } from './en/assist';
import { assist as zhAssist } from './zh/assist';

export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

export const catalogues = {
  en: { ...enCommon, ...enImport, ...enStart, ...enShell, ...enAnnotate, ...enRuns, ...enTrain, ...enFields, ...enStudies, ...enEvaluate, ...enLabelcheck, ...enPredict, ...enExports, ...enAssist },
  'zh-CN': { ...zhCommon, ...zhImport, ...zhStart, ...zhShell, ...zhAnnotate, ...zhRuns, ...zhTrain, ...zhFields, ...zhStudies, ...zhEvaluate, ...zhLabelcheck, ...zhPredict, ...zhExports, ...zhAssist },
} satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof catalogues)['en'];
