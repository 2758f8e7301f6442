// The bar's words in zh-CN (the default) and en. Keys are stable codes from the engine's JSON
// (state, pause reason, error code) so new words need no code change.

export const DICT = {
  'zh-CN': {
    'sep': '：',
    'state.loading': '连接中…',
    'state.unavailable': '引擎未启动',
    'state.signed_out': '未签入',
    'state.ready': '示闲',
    'state.not_ready': '示忙',
    'state.ringing': '振铃',
    'state.talking': '通话中',
    'state.held': '保持',
    'state.consulting': '咨询中',
    'state.conference': '会议中',
    'state.wrap_up': '话后整理',
    'state.reconnecting': '重连中',
    'reason.rest': '小休',
    'reason.lunch': '午休',
    'reason.meeting': '会议',
    'reason.training': '培训',
    'reason.leave': '请假',
    'reason.other': '其他',
    'reason.wrap_up': '话后整理',
    'action.sign_in': '签入',
    'action.sign_out': '签出',
    'action.ready': '示闲',
    'action.not_ready': '示忙',
    'action.finish_wrap_up': '完成',
    'queued.not_ready': '通话结束后示忙',
    'queued.ready': '通话结束后示闲',
    'queued.signed_out': '通话结束后签出',
    'connection.connecting': '连接中',
    'connection.connected': '已连接',
    'connection.reconnecting': '重连中（第{attempt}次）',
    'connection.failed': '连接失败：{reason}',
    'connection.api_lost': '本地服务断开',
    'call.inbound': '呼入',
    'call.outbound': '呼出',
    'call.consult': '咨询 {party}',
    'missed': '未接 {count}',
    'cap.not_offered': '该服务器不支持此操作',
    'error.not_supported': '不支持',
    'error.invalid_input': '输入有误',
    'error.invalid_state': '当前状态不可操作',
    'error.server': '服务器错误',
    'error.auth': '认证失败',
    'error.transport': '无法连接服务器',
    'error.protocol': '服务器应答无法识别',
    'error.not_found': '未找到',
    'error.stopped': '会话已停止',
  },
  en: {
    'sep': ': ',
    'state.loading': 'Connecting…',
    'state.unavailable': 'Engine not started',
    'state.signed_out': 'Signed out',
    'state.ready': 'Ready',
    'state.not_ready': 'Not ready',
    'state.ringing': 'Ringing',
    'state.talking': 'Talking',
    'state.held': 'On hold',
    'state.consulting': 'Consulting',
    'state.conference': 'Conference',
    'state.wrap_up': 'Wrap-up',
    'state.reconnecting': 'Reconnecting',
    'reason.rest': 'Break',
    'reason.lunch': 'Lunch',
    'reason.meeting': 'Meeting',
    'reason.training': 'Training',
    'reason.leave': 'Leave',
    'reason.other': 'Other',
    'reason.wrap_up': 'Wrap-up',
    'action.sign_in': 'Sign in',
    'action.sign_out': 'Sign out',
    'action.ready': 'Ready',
    'action.not_ready': 'Not ready',
    'action.finish_wrap_up': 'Done',
    'queued.not_ready': 'Not ready after this call',
    'queued.ready': 'Ready after this call',
    'queued.signed_out': 'Sign out after this call',
    'connection.connecting': 'Connecting',
    'connection.connected': 'Connected',
    'connection.reconnecting': 'Reconnecting (attempt {attempt})',
    'connection.failed': 'Connection failed: {reason}',
    'connection.api_lost': 'Local service lost',
    'call.inbound': 'Inbound',
    'call.outbound': 'Outbound',
    'call.consult': 'Consulting {party}',
    'missed': 'Missed {count}',
    'cap.not_offered': 'This server does not offer this',
    'error.not_supported': 'Not supported',
    'error.invalid_input': 'Invalid input',
    'error.invalid_state': 'Not possible now',
    'error.server': 'Server error',
    'error.auth': 'Authentication refused',
    'error.transport': 'Server unreachable',
    'error.protocol': 'Unreadable server answer',
    'error.not_found': 'Not found',
    'error.stopped': 'Session stopped',
  },
};

export const DEFAULT_LANG = 'zh-CN';

/** `?lang=en` wins, then a saved choice, then zh-CN. */
export function pickLang(win = window) {
  const fromUrl = new URLSearchParams(win.location.search).get('lang');
  let saved = null;
  try {
    saved = win.localStorage.getItem('agentbar.lang');
  } catch {
    // Storage may be off (private mode); the default is fine.
  }
  return [fromUrl, saved].find((l) => l && DICT[l]) || DEFAULT_LANG;
}

/** A `t(key, params)` for `lang`; falls back to zh-CN, then to the key itself. */
export function translator(lang) {
  const words = DICT[lang] || DICT[DEFAULT_LANG];
  return (key, params = {}) => {
    const text = words[key] ?? DICT[DEFAULT_LANG][key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
  };
}

/** Has a translation: lets callers show a raw server code when there is none. */
export function hasWord(lang, key) {
  return Boolean((DICT[lang] || {})[key] ?? DICT[DEFAULT_LANG][key]);
}
