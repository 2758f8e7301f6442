import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, effectScope, h, nextTick } from 'vue';
import StateBadge from '../src/components/StateBadge.vue';
import { useNow } from '../src/logic/clock';
import { callSecs, elapsedSecs, formatClock, formatShort, remainingSecs } from '../src/logic/time';
import { createStore, STORE } from '../src/store';
import { fakeTransport, makeSnapshot } from './fixtures';

describe('formatting', () => {
  it('formats the state timer as hh:mm:ss', () => {
    expect(formatClock(0)).toBe('00:00:00');
    expect(formatClock(751)).toBe('00:12:31');
    expect(formatClock(3600 * 27 + 61)).toBe('27:01:01');
    expect(formatClock(-5)).toBe('00:00:00');
  });

  it('formats call timers as mm:ss, h:mm:ss past an hour', () => {
    expect(formatShort(59)).toBe('00:59');
    expect(formatShort(3599)).toBe('59:59');
    expect(formatShort(3661)).toBe('1:01:01');
  });

  it('counts up from the snapshot and down for wrap-up, never below zero', () => {
    expect(elapsedSecs(10, 1_000, 4_500)).toBe(13);
    expect(remainingSecs(30, 1_000, 11_000)).toBe(20);
    expect(remainingSecs(30, 1_000, 99_000)).toBe(0);
  });

  it('times a call from its answer, or from its start while ringing', () => {
    expect(callSecs({ started_at_ms: 0, answered_at_ms: 5_000 }, 65_000)).toBe(60);
    expect(callSecs({ started_at_ms: 0, answered_at_ms: null }, 7_900)).toBe(7);
  });
});

describe('timers with fake time', () => {
  const mounted: { unmount(): void }[] = [];
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => {
    mounted.splice(0).forEach((w) => w.unmount());
    vi.useRealTimers();
  });

  it('ticks the shared clock every second while used', () => {
    const scope = effectScope();
    const now = scope.run(() => useNow())!;
    const start = now.value;
    vi.advanceTimersByTime(3_000);
    expect(now.value - start).toBe(3_000);
    scope.stop();
    vi.advanceTimersByTime(3_000);
    expect(now.value - start).toBe(3_000);
  });

  async function badge(snap = makeSnapshot()) {
    const { transport } = fakeTransport(snap);
    const store = createStore(transport);
    await store.start();
    const host = defineComponent({ render: () => h(StateBadge) });
    const w = mount(host, { global: { provide: { [STORE as symbol]: store } } });
    mounted.push(w);
    return w;
  }

  it('advances the state timer each second', async () => {
    const w = await badge();
    expect(w.find('.timer').text()).toBe('00:12:31');
    vi.advanceTimersByTime(2_000);
    await nextTick();
    expect(w.find('.timer').text()).toBe('00:12:33');
  });

  it('counts wrap-up down and offers 完成', async () => {
    const w = await badge(
      makeSnapshot({ state: { state: 'wrap_up' }, wrap_up: { ends_at_ms: 1_030_000, remaining_secs: 30 } }),
    );
    expect(w.find('.timer').text()).toBe('00:30');
    expect(w.find('button').text()).toBe('完成');
    vi.advanceTimersByTime(10_000);
    await nextTick();
    expect(w.find('.timer').text()).toBe('00:20');
    vi.advanceTimersByTime(60_000);
    await nextTick();
    expect(w.find('.timer').text()).toBe('00:00');
  });
});
