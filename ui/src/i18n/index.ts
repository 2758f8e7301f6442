//! `t(key, params)`: every visible string goes through it. The language is reactive, so a
//! change re-renders every view. Engine codes (state, reason, error, command) are looked up
//! with `word()`, which falls back to the raw code when there is no translation (a server's
//! own pause reason, say).
import { ref } from 'vue';
import type { Language } from '../types';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type { MessageKey };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const DICTS: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
export const LANGUAGES: Language[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Language = 'zh-CN';

export const lang = ref<Language>(DEFAULT_LANG);

function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as string[]).includes(v);
}

/** `?lang=en` wins over the settings' choice; zh-CN otherwise. */
export function pickLang(search: string, fromSettings?: string | null): Language {
  const q = new URLSearchParams(search).get('lang');
  if (isLanguage(q)) return q;
  if (isLanguage(fromSettings)) return fromSettings;
  return DEFAULT_LANG;
}

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

export const t: Translate = (key, params) =>
  fill(DICTS[lang.value][key] ?? zhCN[key] ?? key, params);

export function hasKey(key: string): key is MessageKey {
  return key in zhCN;
}

/** `prefix.code` translated, or the code itself: for the engine's open-ended codes. */
export function word(prefix: 'state' | 'reason' | 'error' | 'op' | 'outcome', code: string): string {
  const key = `${prefix}.${code}`;
  return hasKey(key) ? t(key) : code;
}
