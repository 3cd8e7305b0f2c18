/**
 * The words of the native shell (menus, dialogs), in the app's two languages. The renderer has
 * its own catalogue; the main process cannot import it (it is renderer code), and these few
 * strings are all the shell needs.
 */
import type { LanguageChoice } from '../common/appSettings';

export type ShellLocale = 'en' | 'zh-CN';

const en = {
  file: 'File',
  newProject: 'New Project',
  open: 'Open…',
  openRecent: 'Open Recent',
  noRecent: 'No recent projects',
  missing: '(missing)',
  openDemo: 'Open the Demo Project',
  newWindow: 'New Window',
  import: 'Import…',
  export: 'Export…',
  closeProject: 'Close Project',
  quit: 'Quit',
  edit: 'Edit',
  undo: 'Undo',
  undoLabel: 'Undo Last Label',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  view: 'View',
  reload: 'Reload',
  forceReload: 'Force Reload',
  devTools: 'Toggle Developer Tools',
  actualSize: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  theme: 'Appearance',
  themeSystem: 'Follow System',
  themeLight: 'Light',
  themeDark: 'Dark',
  language: 'Language',
  languageSystem: 'System Language',
  fullScreen: 'Toggle Full Screen',
  help: 'Help',
  shortcuts: 'Keyboard Shortcuts',
  credits: 'Data Credits',
  about: 'About {app}',
  dialogProject: 'Open a project',
  dialogImport: 'Choose a file to import',
  dialogBundle: 'Choose a model folder',
  dialogExportData: 'Export labelled data',
  dialogExportModel: 'Export the model',
  filterProjects: 'Sentiment Studio projects',
  filterData: 'Review data (CSV, TSV, JSON, JSON Lines, Excel, text)',
  filterCsv: 'CSV',
  filterJsonl: 'JSON Lines',
  filterAll: 'All files',
  interruptTitle: 'Work in progress',
  interruptImport: 'An import is still running. Close anyway? The import stops and nothing from it is kept.',
  interruptTraining: 'A model is still training. Close anyway? The training run stops; runs already finished are kept.',
  interruptCancel: 'Keep Working',
  interruptClose: 'Close Anyway',
};

export type ShellStrings = typeof en;

const zh: ShellStrings = {
  file: '文件',
  newProject: '新建项目',
  open: '打开…',
  openRecent: '最近打开',
  noRecent: '没有最近的项目',
  missing: '（文件不存在）',
  openDemo: '打开示例项目',
  newWindow: '新建窗口',
  import: '导入…',
  export: '导出…',
  closeProject: '关闭项目',
  quit: '退出',
  edit: '编辑',
  undo: '撤销',
  undoLabel: '撤销上一个标注',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  view: '视图',
  reload: '重新加载',
  forceReload: '强制重新加载',
  devTools: '开发者工具',
  actualSize: '实际大小',
  zoomIn: '放大',
  zoomOut: '缩小',
  theme: '外观',
  themeSystem: '跟随系统',
  themeLight: '浅色',
  themeDark: '深色',
  language: '语言',
  languageSystem: '跟随系统',
  fullScreen: '切换全屏',
  help: '帮助',
  shortcuts: '键盘快捷键',
  credits: '数据来源',
  about: '关于 {app}',
  dialogProject: '打开项目',
  dialogImport: '选择要导入的文件',
  dialogBundle: '选择模型文件夹',
  dialogExportData: '导出标注数据',
  dialogExportModel: '导出模型',
  filterProjects: 'Sentiment Studio 项目',
  filterData: '评论数据（CSV、TSV、JSON、JSON Lines、Excel、文本）',
  filterCsv: 'CSV',
  filterJsonl: 'JSON Lines',
  filterAll: '所有文件',
  interruptTitle: '有任务正在进行',
  interruptImport: '导入仍在进行。仍要关闭吗？导入会停止，已导入的部分不会保留。',
  interruptTraining: '模型仍在训练。仍要关闭吗？本次训练会停止，已完成的训练记录会保留。',
  interruptCancel: '继续工作',
  interruptClose: '仍然关闭',
};

/** The shell's language: the analyst's choice, else the OS locale (any Chinese reads Simplified Chinese). */
export function shellLocale(choice: LanguageChoice, systemLocale: string): ShellLocale {
  if (choice !== 'auto') return choice;
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function shellStrings(locale: ShellLocale): ShellStrings {
  return locale === 'zh-CN' ? zh : en;
}
