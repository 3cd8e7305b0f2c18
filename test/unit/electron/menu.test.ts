/**
 * The native menu, built from plain state: File / Edit / View / Help with the items the app
 * promises, each project action mapped to the AppCommand the window carries out, Ctrl+Z undoing
 * a label in the annotate view only, radio items following the settings, and the words following
 * the language. Electron's Menu is a fake (the binary is not available here).
 */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { defaultAppSettings, type AppCommand, type AppView, type RecentProject } from '@common/appSettings';
import { menuTemplate, buildMenu, type MenuState } from '../../../src-main/electron/menu';
import { shellLocale, shellStrings } from '../../../src-main/electron/shellStrings';

const built = vi.hoisted(() => ({ templates: [] as unknown[] }));
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: (template: unknown) => (built.templates.push(template), { template }) },
}));

type Item = MenuItemConstructorOptions;

const recent: RecentProject[] = [
  { path: '/p/hotels.sstudio', name: 'Hotels', lastOpened: '2025-01-02T00:00:00Z', items: 10, labelled: 2, exists: true },
  { path: '/p/gone.sstudio', name: 'Gone', lastOpened: '2025-01-01T00:00:00Z', items: null, labelled: null, exists: false },
];

function state(overrides: Partial<MenuState> = {}): MenuState {
  return {
    appName: 'Sentiment Studio',
    platform: 'linux',
    isDev: false,
    strings: shellStrings('en'),
    settings: { ...defaultAppSettings },
    recent,
    view: 'overview',
    ...overrides,
  };
}

function setup(overrides: Partial<MenuState> = {}) {
  const sent: AppCommand[] = [];
  const actions = { send: (c: AppCommand) => sent.push(c), newWindow: vi.fn(), about: vi.fn() };
  return { template: menuTemplate(state(overrides), actions), sent, actions };
}

function find(items: Item[], label: string): Item {
  for (const item of items) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      try {
        return find(item.submenu, label);
      } catch {
        // not in this submenu
      }
    }
  }
  throw new Error(`no menu item '${label}'`);
}

const click = (item: Item): void => (item.click as () => void)();
const submenu = (item: Item): Item[] => item.submenu as Item[];

describe('application menu', () => {
  it('has File, Edit, View and Help, with Quit in File off macOS', () => {
    const { template } = setup();
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    expect(submenu(template[0]!).at(-1)).toMatchObject({ role: 'quit' });
  });

  it('on macOS puts About and Quit in the app menu', () => {
    const { template } = setup({ platform: 'darwin' });
    expect(template.map((m) => m.label)).toEqual(['Sentiment Studio', 'File', 'Edit', 'View', 'Help']);
    expect(submenu(template[1]!).some((i) => i.role === 'quit')).toBe(false);
    expect(submenu(template[0]!).some((i) => i.role === 'quit')).toBe(true);
  });

  it('maps every project action to its command', () => {
    const { template, sent, actions } = setup();
    const labels = ['New Project', 'Open…', 'Open the Demo Project', 'Import…', 'Export…', 'Close Project', 'Keyboard Shortcuts', 'Data Credits'];
    for (const label of labels) click(find(template, label));
    expect(sent.map((c) => c.command)).toEqual([
      'new-project',
      'open-project',
      'open-demo',
      'import',
      'export',
      'close-project',
      'show-shortcuts',
      'show-credits',
    ]);
    click(find(template, 'New Window'));
    click(find(template, 'About Sentiment Studio'));
    expect(actions.newWindow).toHaveBeenCalledOnce();
    expect(actions.about).toHaveBeenCalledOnce();
    expect(find(template, 'Open…').accelerator).toBe('CmdOrCtrl+O');
  });

  it('lists recent projects, a missing one disabled and marked', () => {
    const { template, sent } = setup();
    const items = submenu(find(template, 'Open Recent'));
    expect(items.map((i) => [i.label, i.enabled])).toEqual([
      ['Hotels', true],
      ['Gone (missing)', false],
    ]);
    click(items[0]!);
    expect(sent).toEqual([{ command: 'open-path', path: '/p/hotels.sstudio' }]);
    expect(submenu(find(setup({ recent: [] }).template, 'Open Recent'))).toEqual([{ label: 'No recent projects', enabled: false }]);
  });

  it('undoes a label with Ctrl+Z in the annotate and evaluate views, and text elsewhere', () => {
    const undoItem = (view: AppView | null): Item => submenu(setup({ view }).template[1]!)[0]!;
    expect(undoItem('overview')).toMatchObject({ role: 'undo' });
    expect(undoItem(null)).toMatchObject({ role: 'undo' });
    const annotate = setup({ view: 'annotate' });
    const undo = submenu(annotate.template[1]!)[0]!;
    expect(undo).toMatchObject({ label: 'Undo Last Label', accelerator: 'CmdOrCtrl+Z' });
    expect(undo.role).toBeUndefined();
    click(undo);
    expect(annotate.sent).toEqual([{ command: 'undo' }]);
    expect(undoItem('evaluate')).toMatchObject({ label: 'Undo Last Label', accelerator: 'CmdOrCtrl+Z' });
  });

  it('checks the chosen theme and language, and sends the new choice', () => {
    const { template, sent } = setup({ settings: { ...defaultAppSettings, theme: 'dark', language: 'zh-CN' } });
    const themes = submenu(find(template, 'Appearance'));
    expect(themes.map((i) => [i.label, i.checked])).toEqual([
      ['Follow System', false],
      ['Light', false],
      ['Dark', true],
    ]);
    const languages = submenu(find(template, 'Language'));
    expect(languages.map((i) => [i.label, i.checked])).toEqual([
      ['System Language', false],
      ['English', false],
      ['简体中文', true],
    ]);
    click(themes[0]!);
    click(languages[1]!);
    expect(sent).toEqual([
      { command: 'set-theme', theme: 'system' },
      { command: 'set-language', language: 'en' },
    ]);
  });

  it('offers reload and zoom always, developer tools in development only', () => {
    const roles = (isDev: boolean) => submenu(setup({ isDev }).template[2]!).map((i) => i.role).filter(Boolean);
    expect(roles(false)).toEqual(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('speaks Simplified Chinese when chosen, or when the OS does and the choice is automatic', () => {
    expect(shellLocale('auto', 'zh-TW')).toBe('zh-CN');
    expect(shellLocale('auto', 'de-DE')).toBe('en');
    expect(shellLocale('en', 'zh-CN')).toBe('en');
    const { template } = setup({ strings: shellStrings('zh-CN') });
    expect(template.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '帮助']);
    expect(find(template, '关于 Sentiment Studio')).toBeDefined();
  });

  it('builds the template through Electron', () => {
    buildMenu(state(), { send: () => {}, newWindow: () => {}, about: () => {} });
    expect(built.templates).toHaveLength(1);
  });
});
