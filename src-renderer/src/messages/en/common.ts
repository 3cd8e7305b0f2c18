/** Strings every screen shares: the app bar, navigation, generic actions. */
export const common = {
  'app.name': 'Sentiment Studio',
  'nav.overview': 'Overview',
  'nav.import': 'Import',
  'nav.train': 'Train',
  'nav.runs': 'Runs',
  'nav.annotate': 'Annotate',
  'nav.label': 'Project sections',
  'action.dismiss': 'Dismiss',
  'action.cancel': 'Cancel',
  'action.close': 'Close',
  'language.label': 'Language',
  'language.auto': 'System language',
} as const;
