import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DICTS, hasKey, lang, LANGUAGES, pickLang, t, word } from '../src/i18n';
import { OPERATION_OF } from '../src/logic/buttons';
import { ALLOW_REASON_KEYS, REFUSAL_CODES } from '../src/logic/policy';
import { VENDOR_IDS } from '../src/logic/vendors';
import { failureText } from '../src/store';

afterEach(() => (lang.value = 'zh-CN'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|vue)$/.test(name) ? [p] : [];
  });
}

describe('i18n', () => {
  it('has every key in both languages, none empty', () => {
    const zh = Object.keys(DICTS['zh-CN']).sort();
    for (const l of LANGUAGES) {
      expect(Object.keys(DICTS[l]).sort()).toEqual(zh);
      for (const [k, v] of Object.entries(DICTS[l])) expect(v, `${l} ${k}`).not.toBe('');
    }
  });

  it('knows every t() key used in the source', () => {
    const src = join(__dirname, '..', 'src');
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(80);
    expect([...used].filter((k) => !hasKey(k))).toEqual([]);
  });

  it('covers the dynamic key families (states, reasons, commands, errors, outcomes)', () => {
    const families: Record<string, string[]> = {
      state: ['signed_out', 'ready', 'not_ready', 'ringing', 'talking', 'held', 'consulting', 'conference', 'wrap_up', 'reconnecting'],
      reason: ['rest', 'lunch', 'meeting', 'training', 'leave', 'other', 'wrap_up'],
      op: Object.keys(OPERATION_OF),
      error: ['not_supported', 'invalid_input', 'invalid_state', 'server', 'auth', 'transport', 'protocol', 'not_found', 'stopped'],
      outcome: ['answered', 'missed', 'not_answered', 'transferred'],
      open_on: ['ring', 'answer', 'never'],
      open_in: ['browser', 'window'],
      hotkey: ['answer', 'hangup', 'ready_toggle', 'focus_dial'],
      lang: LANGUAGES,
      vendor: [...VENDOR_IDS],
      server_hint: [...VENDOR_IDS],
      policy_mode: ['prompt', 'strict', 'open'],
      policy_hint: ['prompt', 'strict', 'open'],
      origin_error: ['empty', 'null', 'scheme', 'shape', 'host', 'port', 'duplicate'],
      audit_allow: ALLOW_REASON_KEYS,
      audit_refuse: [...REFUSAL_CODES],
    };
    const missing = Object.entries(families).flatMap(([p, codes]) =>
      codes.map((c) => `${p}.${c}`).filter((k) => !hasKey(k)),
    );
    expect(missing).toEqual([]);
  });

  it('uses the agents\' words', () => {
    expect(['sign_in', 'sign_out', 'set_ready', 'set_not_ready', 'dial', 'answer', 'hangup', 'hold', 'resume',
      'consult', 'transfer', 'conference', 'take_back', 'dtmf', 'to_ivr', 'pick_up', 'monitor', 'whisper',
      'barge', 'force_release'].map((o) => word('op', o))).toEqual([
      '签入', '签出', '示闲', '示忙', '外呼', '接听', '挂断', '保持', '恢复', '咨询', '转接', '会议', '取回',
      '二次拨号', '转IVR', '代接', '监听', '密语', '强插', '强拆',
    ]);
    lang.value = 'en';
    expect(word('op', 'force_release')).toBe('Force release');
  });

  it('fills parameters and falls back to the raw code', () => {
    expect(t('call.consult', { party: '2012' })).toBe('咨询：2012');
    expect(word('reason', 'coaching')).toBe('coaching');
  });

  it('translates a failure with the server reason', () => {
    expect(failureText('hold', { code: 'not_supported', message: 'WEBCTI2 has no hold' })).toBe(
      '保持失败：服务器不支持（WEBCTI2 has no hold）',
    );
  });

  it('picks the language from ?lang=, then the settings, else zh-CN', () => {
    expect(pickLang('?lang=en', 'zh-CN')).toBe('en');
    expect(pickLang('', 'en')).toBe('en');
    expect(pickLang('?lang=fr', null)).toBe('zh-CN');
  });
});
