import type { common as en } from '../en/common';

export const common = {
  'app.name': 'Sentiment Studio 情感分析工作室',
  'nav.overview': '概览',
  'nav.import': '导入',
  'nav.train': '训练',
  'nav.runs': '运行记录',
  'nav.annotate': '标注',
  'nav.label': '项目栏目',
  'action.dismiss': '关闭提示',
  'action.cancel': '取消',
  'action.close': '关闭',
  'language.label': '语言',
  'language.auto': '跟随系统',
} satisfies Record<keyof typeof en, string>;
