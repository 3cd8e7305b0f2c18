/**
 * Channel and event names, free of schema code so the sandboxed preload can check names without
 * bundling zod. contract.ts declares one request schema per name listed here.
 */
export const channelNames = [
  'app:info',
  'app:recent',
  'app:forgetRecent',
  'app:settings',
  'app:setSettings',
  'app:setView',
  'dialog:open',
  'dialog:save',
  'project:create',
  'project:open',
  'project:close',
  'project:openDemo',
  'project:summary',
  'import:preview',
  'import:run',
  'import:cancel',
  'items:list',
  'items:count',
  'items:ids',
  'labels:set',
  'labels:undo',
  'labels:history',
  'labels:confirm',
  'items:useful',
  'prelabels:refresh',
  'assist:status',
  'assist:configure',
  'assist:refresh',
  'labels:suspects',
  'data:export',
  'train:start',
  'train:cancel',
  'train:dataProfile',
  'train:status',
  'runs:list',
  'runs:epochs',
  'runs:setCurrent',
  'runs:delete',
  'runs:export',
  'runs:evaluation',
  'runs:report',
  'runs:explain',
  'runs:predictions',
  'runs:slices',
  'predict:run',
  'predict:cancel',
  'bundle:inspect',
  'studies:list',
  'studies:start',
  'studies:resume',
  'studies:delete',
] as const;
export type Channel = (typeof channelNames)[number];

export const eventNames = [
  'import:progress',
  'project:changed',
  'train:progress',
  'train:epoch',
  'train:evaluating',
  'train:finished',
  'studies:updated',
  'predict:progress',
  'assist:updated',
  'app:command',
  'app:settingsChanged',
  'app:recentChanged',
  'app:viewChanged',
] as const;
export type EventName = (typeof eventNames)[number];

/** The single Electron IPC channel all requests travel on; the studio channel is in the payload. */
export const ipcInvokeChannel = 'studio:invoke';
export const ipcEventChannel = 'studio:event';
