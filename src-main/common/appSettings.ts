/**
 * What the app remembers between runs (not per project): the recent projects and the analyst's
 * settings, plus the commands the desktop shell (menus, a second launch) sends to the window.
 */
import { z } from 'zod';

export const languageChoices = ['auto', 'en', 'zh-CN'] as const;
export type LanguageChoice = (typeof languageChoices)[number];

/** 'system' follows the OS light/dark setting. */
export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];

export const appSettingsSchema = z.object({
  language: z.enum(languageChoices).default('auto'),
  theme: z.enum(themeChoices).default('system'),
  /** Open the last project again when the app starts. */
  reopenLastProject: z.boolean().default(true),
});
export type AppSettings = z.output<typeof appSettingsSchema>;

export const defaultAppSettings: AppSettings = appSettingsSchema.parse({});

/**
 * A change to some settings. Not `appSettingsSchema.partial()`: zod 4 still fills in each field's
 * default there, so changing the theme would reset the language.
 */
export const appSettingsChangeSchema = z
  .object({
    language: z.enum(languageChoices).optional(),
    theme: z.enum(themeChoices).optional(),
    reopenLastProject: z.boolean().optional(),
  })
  .strict();

export interface RecentProject {
  path: string;
  name: string;
  /** ISO time the project was last opened or created. */
  lastOpened: string;
  /** Counts as they were when the project was last open (reading every file on start would be slow). */
  items: number | null;
  labelled: number | null;
  /** Whether the file is still there (checked when the list is read). */
  exists: boolean;
}

/** The longest recent-projects list kept. */
export const maxRecentProjects = 12;

/**
 * What a menu item (or a second launch of the app) asks the window to do. The window decides
 * how: a command that needs an open project says so when there is none.
 */
export type AppCommand =
  | { command: 'new-project' }
  | { command: 'open-project' }
  | { command: 'open-path'; path: string }
  | { command: 'open-demo' }
  | { command: 'close-project' }
  | { command: 'import' }
  | { command: 'export' }
  | { command: 'undo' }
  | { command: 'show-shortcuts' }
  | { command: 'show-credits' }
  | { command: 'set-language'; language: LanguageChoice }
  | { command: 'set-theme'; theme: ThemeChoice };
export type AppCommandName = AppCommand['command'];

/** The screens the window can show; the shell labels Edit ▸ Undo after it. */
export const appViews = ['start', 'overview', 'import', 'annotate', 'train', 'runs', 'evaluate', 'predict'] as const;
export type AppView = (typeof appViews)[number];
