/** What crashWorker.ts writes and crashSafety.test.ts checks, shared by both. */
import { createStudioService } from '../../src-main/node/services';

/** The label keyboard labelling gives an item: a function of its id, so the parent can check it. */
export const keyLabel = (itemId: number): string => (itemId % 2 === 0 ? 'positive' : 'negative');

/** A CSV of `rows` short, distinct, labelled reviews (short rows keep a 50,000-row import quick). */
export function reviewsCsv(rows: number, prefix: string): string {
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix} ${i} ${i % 3 === 0 ? 'dull' : 'fine'},${i % 2 === 0 ? 'positive' : 'negative'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Turns the labelling assistant off in a project, through the handler map as the Annotate screen
 * does. By default it trains and scores in another process after every 200 labels: a writer of
 * its own with its own tests, and a trainer start in most killed workers would double the time.
 */
export async function withoutAssistant(path: string): Promise<void> {
  const service = createStudioService({ appVersion: 'crash-test', annotator: 'crash-test' });
  try {
    for (const [channel, payload] of [['project:open', { path }], ['assist:configure', { auto: false }]] as const) {
      const result = await service.invoke(channel, payload);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    }
  } finally {
    await service.dispose();
  }
}
