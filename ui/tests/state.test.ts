import { afterEach, describe, expect, it } from 'vitest';
import { lang } from '../src/i18n';
import { connectionText, queuedText, reasonWord, stateDisplay, TONE_COLOURS } from '../src/logic/state';
import type { AgentState } from '../src/types';

afterEach(() => (lang.value = 'zh-CN'));

describe('state display', () => {
  const cases: [AgentState, string, string, keyof typeof TONE_COLOURS][] = [
    [{ state: 'ready' }, '示闲', 'Ready', 'ready'],
    [{ state: 'not_ready', reason: 'lunch' }, '示忙·午休', 'Not ready · Lunch', 'not-ready'],
    [{ state: 'not_ready', reason: null }, '示忙', 'Not ready', 'not-ready'],
    [{ state: 'talking' }, '通话中', 'Talking', 'talking'],
    [{ state: 'held' }, '保持中', 'On hold', 'talking'],
    [{ state: 'consulting' }, '咨询中', 'Consulting', 'talking'],
    [{ state: 'conference' }, '会议中', 'Conference', 'talking'],
    [{ state: 'ringing' }, '振铃', 'Ringing', 'ringing'],
    [{ state: 'wrap_up' }, '话后整理', 'Wrap-up', 'wrap-up'],
    [{ state: 'signed_out' }, '未签入', 'Signed out', 'idle'],
    [{ state: 'reconnecting' }, '重连中', 'Reconnecting', 'idle'],
  ];

  it.each(cases)('%o reads %s / %s in its colour', (state, zh, en, tone) => {
    const d = stateDisplay(state);
    expect(d.word).toBe(zh);
    expect(d.tone).toBe(tone);
    expect(d.colour).toBe(TONE_COLOURS[tone]);
    lang.value = 'en';
    expect(stateDisplay(state).word).toBe(en);
  });

  it('uses the colours of UI.md', () => {
    expect(stateDisplay({ state: 'ready' }).colour).toBe('#1f9d5c');
    expect(stateDisplay({ state: 'talking' }).colour).toBe('#d62f2f');
    expect(stateDisplay({ state: 'wrap_up' }).colour).toBe('#7c3aed');
  });

  it('pulses only when ringing', () => {
    expect(stateDisplay({ state: 'ringing' }).pulse).toBe(true);
    expect(stateDisplay({ state: 'talking' }).pulse).toBe(false);
  });

  it('translates every default reason and shows a server reason as it is', () => {
    expect(['rest', 'lunch', 'meeting', 'training', 'leave', 'other', 'wrap_up'].map(reasonWord)).toEqual([
      '小休', '午休', '会议', '培训', '请假', '其他', '话后整理',
    ]);
    expect(stateDisplay({ state: 'not_ready', reason: 'coaching' }).word).toBe('示忙·coaching');
  });

  it('puts the connection reason in the tooltip while reconnecting', () => {
    const d = stateDisplay(
      { state: 'reconnecting' },
      { status: 'reconnecting', attempt: 3, reason: 'connection refused', retry_in_ms: 2000 },
    );
    expect(d.tooltip).toBe('重连中（第 3 次）：connection refused');
    expect(connectionText({ status: 'connected' })).toBe('');
    expect(connectionText({ status: 'failed', reason: 'bad key' })).toBe('连接失败：bad key');
  });

  it('words the queued presence', () => {
    expect(queuedText({ presence: 'not_ready', reason: 'lunch' })).toBe('通话结束后示忙·午休');
    expect(queuedText({ presence: 'not_ready', reason: null })).toBe('通话结束后示忙');
    expect(queuedText({ presence: 'ready' })).toBe('通话结束后示闲');
  });
});
