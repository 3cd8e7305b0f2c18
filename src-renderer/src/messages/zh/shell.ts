import type { shell as en } from '../en/shell';

export const shell = {
  'theme.label': '外观',
  'theme.system': '跟随系统',
  'theme.light': '浅色',
  'theme.dark': '深色',
  'language.en': 'English',
  'language.zh-CN': '简体中文',
  'settings.problem': '设置问题',

  'banner.readOnly': '只读：此项目以查看方式打开，无法标注或导入。',
  'banner.openElsewhere':
    '只读：此项目已在另一个窗口或程序中打开（{host} 上的进程 {pid}，自 {since} 起）。请先在那里关闭，再在这里重新打开以进行修改。',
  'banner.reopen': '重试',

  'command.needsProject': '请先打开或创建一个项目。',
  'command.exported': '已导出 {rows} 行到 {path}。',
  'command.exportFormat': '导出文件须为 .csv 或 .jsonl。',

  'overview.readOnly': '只读',
  'overview.close': '关闭项目',
  'overview.items': '条目',
  'overview.labelled': '已标注',
  'overview.unlabelled': '未标注',
  'overview.events': '标注记录',
  'overview.labels': '标签',
  'overview.splits': '数据划分',
  'overview.annotators': '标注者：{names}',
  'overview.nextImport': '导入评论',
  'overview.nextAnnotate': '开始标注',
  'overview.emptyTitle': '这个项目还没有评论',
  'overview.emptyBody': '导入 CSV、JSON Lines、Excel 或文本文件即可开始标注。',

  'labelTable.label': '标签',
  'labelTable.key': '快捷键',
  'labelTable.items': '条目',
  'labelTable.share': '占已标注比例',
  'splitTable.split': '划分',
  'splitTable.target': '目标比例',
  'splitTable.total': '合计',
  'split.train': '训练集',
  'split.validation': '验证集',
  'split.test': '测试集',

  'shortcuts.title': '键盘快捷键',
  'shortcuts.general': '全局',
  'shortcuts.annotate': '标注时',
  'shortcuts.new': '新建项目',
  'shortcuts.open': '打开项目',
  'shortcuts.import': '导入评论',
  'shortcuts.export': '导出标注数据',
  'shortcuts.undo': '撤销上一个标注（标注界面）',
  'shortcuts.help': '显示此列表',
  'shortcuts.labelKey': '将评论标为“{label}”',
  'shortcuts.noProject': '打开一个项目即可查看其标签快捷键。',

  'credits.title': '数据来源',
  'credits.demo': '示例项目',
  'credits.demoBody':
    '示例评论取自 Large Movie Review Dataset v1.0（IMDB），由 Andrew L. Maas 等人收集并发布供研究使用。评论文本的权利归其作者和 IMDb 所有。',
  'credits.citation':
    'Andrew L. Maas, Raymond E. Daly, Peter T. Pham, Dan Huang, Andrew Y. Ng and Christopher Potts. 2011. Learning Word Vectors for Sentiment Analysis. Proceedings of ACL 2011, pages 142–150.',
  'credits.yours': '你自己的项目',
  'credits.yoursBody': '你导入的评论保存在这台电脑上的项目文件中，不会发送到任何地方。',
} satisfies Record<keyof typeof en, string>;
