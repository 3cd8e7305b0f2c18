/**
 * The process crashSafety.test.ts kills. It opens a project through the handler map the Electron
 * main process serves (createStudioService) and writes as the window would, printing one line to
 * stdout once each write's handler has answered: that line is the acknowledgement the window
 * would have shown. Pipes are synchronous on POSIX, so a printed line reaches the parent even when
 * SIGKILL follows at once.
 *
 *   crashWorker import <project> <file.csv>   one import of the file (columns text, label)
 *   crashWorker bulk <project>                 bulk labels of every item, alternating positive / negative
 *   crashWorker keys <project>                 one label per item, item by item, as keyboard labelling sends them
 *   crashWorker inspect <project>              opens it as the app would (writable if it can), tries one label, exits
 *
 * Lines: `ready`, then `start` and `progress <rows read>` (import), `ack import <imported>`, `ack bulk <actionId> <label>`,
 * `ack key <itemId> <label>`, `done`, or `fail <message>`. After its work it waits to be killed,
 * with the background search indexing still writing. `inspect` prints `opened <summary JSON>`
 * and `write <invoke result JSON>`, then exits.
 */
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { keyLabel } from './crashScenarios';

const [scenario, projectPath, file] = process.argv.slice(2);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function call<T>(service: StudioService, channel: string, payload: unknown): Promise<T> {
  const result = await service.invoke(channel, payload);
  if (!result.ok) {
    say(`fail ${channel}: ${result.error.message}`);
    process.exit(1);
  }
  return result.value as T;
}

async function inspect(service: StudioService): Promise<void> {
  const opened = await call<{ readOnly: boolean }>(service, 'project:open', { path: projectPath });
  say(`opened ${JSON.stringify(opened)}`);
  const { ids } = await call<{ ids: number[] }>(service, 'items:ids', {});
  say(`write ${JSON.stringify(await service.invoke('labels:set', { itemIds: ids.slice(0, 1), label: 'positive' }))}`);
  await service.dispose();
}

async function main(): Promise<void> {
  const service = createStudioService({ appVersion: 'crash-test', annotator: 'crash-test' });
  if (scenario === 'inspect') return inspect(service);
  const opened = await call<{ readOnly: boolean }>(service, 'project:open', { path: projectPath });
  if (opened.readOnly) {
    say('fail the project opened read-only');
    process.exit(1);
  }
  say('ready');
  if (scenario === 'import') {
    service.on('import:progress', (progress) => say(`progress ${progress.rows}`));
    say('start');
    const summary = await call<{ imported: number }>(service, 'import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
    say(`ack import ${summary.imported}`);
  } else if (scenario === 'bulk') {
    const { ids } = await call<{ ids: number[] }>(service, 'items:ids', {});
    for (let round = 0; ; round++) {
      const label = round % 2 === 0 ? 'positive' : 'negative';
      const result = await call<{ actionId: number }>(service, 'labels:set', { itemIds: ids, label, origin: 'bulk' });
      say(`ack bulk ${result.actionId} ${label}`);
    }
  } else if (scenario === 'keys') {
    const { ids } = await call<{ ids: number[] }>(service, 'items:ids', {});
    for (const id of ids) {
      await call(service, 'labels:set', { itemIds: [id], label: keyLabel(id), origin: 'manual' });
      say(`ack key ${id} ${keyLabel(id)}`);
    }
  } else {
    say(`fail unknown scenario '${scenario}'`);
    process.exit(2);
  }
  say('done');
  // Wait to be killed; the parent kills every worker, so this only bounds a forgotten one.
  setTimeout(() => process.exit(0), 60_000);
}

void main();
