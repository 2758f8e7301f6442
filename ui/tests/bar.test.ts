import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../src/App.vue';
import { lang } from '../src/i18n';
import { createStore, STORE } from '../src/store';
import type { Transport } from '../src/transport';
import type { Snapshot } from '../src/types';
import { event, fakeTransport, inCall, makeSnapshot, NO_HOLD_NO_ANSWER } from './fixtures';

const mounted: { unmount(): void }[] = [];
afterEach(() => {
  mounted.splice(0).forEach((w) => w.unmount());
  lang.value = 'zh-CN';
  localStorage.clear();
});

async function renderBar(snap: Snapshot, extra: Partial<Transport> = {}, view: 'bar' | 'popup' = 'bar') {
  const fake = fakeTransport(snap, extra);
  const store = createStore(fake.transport, { view });
  const w = mount(App, {
    props: { view, crmTemplate: '' },
    global: { provide: { [STORE as symbol]: store } },
    attachTo: document.body,
  });
  mounted.push(w);
  await store.start();
  await flushPromises();
  return { w, store, ...fake };
}

const button = (w: Awaited<ReturnType<typeof renderBar>>['w'], label: string) => {
  const b = w.findAll('button').find((x) => x.text().replace(/\s+/g, '') === label);
  if (!b) throw new Error(`no button ${label}: ${w.findAll('button').map((x) => x.text()).join('|')}`);
  return b;
};

describe('the bar', () => {
  it('shows the agent and the ready state in green with its timer', async () => {
    const { w } = await renderBar(makeSnapshot());
    const state = w.find('.state');
    expect(state.classes()).toContain('tone-ready');
    expect(state.text()).toContain('8005');
    expect(state.text()).toContain('张三');
    expect(w.find('.state-word').text()).toBe('示闲');
    expect(w.find('.state .timer').text()).toMatch(/^00:12:3\d$/);
    expect(button(w, '挂断').attributes('disabled')).toBeDefined();
    expect(button(w, '挂断').attributes('title')).toBe('无通话');
    expect(w.find('.popup').exists()).toBe(false);
  });

  it('shows a call: number, disabled hold with the server note, the pop-up card', async () => {
    const snap = inCall(
      { state: 'ringing', answered_at_ms: null, masked: true },
      { capabilities: NO_HOLD_NO_ANSWER },
    );
    const { w } = await renderBar(snap);
    expect(w.find('.state').classes()).toContain('pulse');
    expect(w.find('.call .number').text()).toBe('138****8000');
    const answer = button(w, '接听');
    expect(answer.attributes('disabled')).toBeDefined();
    expect(answer.attributes('title')).toBe('WEBCTI2 cannot answer: pick up the phone');
    expect(button(w, '保持').attributes('title')).toBe("WEBCTI2 has no hold: use the phone's hold key");
    const card = w.find('.popup');
    expect(card.find('.caller').text()).toBe('138****8000');
    expect(card.text()).toContain('北京 北京');
    expect(card.text()).toContain('4008001234');
    expect(card.text()).toContain('1-2');
    expect(card.text()).toContain('order');
    // answer is unsupported: the card offers no 接听
    expect(card.findAll('button').map((b) => b.text())).not.toContain('接听');
  });

  it('sends the command on click and shows a spinner while in flight', async () => {
    let finish: () => void = () => {};
    const execute = vi.fn(() => new Promise<{ message: null; data: null }>((r) => (finish = () => r({ message: null, data: null }))));
    const { w } = await renderBar(inCall(), { execute });
    await button(w, '挂断').trigger('click');
    expect(execute).toHaveBeenCalledWith({ op: 'hangup', call: '1718.42' });
    await flushPromises();
    expect(w.find('.spinner').exists()).toBe(true);
    finish();
    await flushPromises();
    expect(w.find('.spinner').exists()).toBe(false);
  });

  it('shows the engine in-flight commands as spinners too', async () => {
    const { w } = await renderBar(makeSnapshot({ in_flight: ['set_ready'] }));
    expect(w.find('button[aria-busy="true"]').text()).toContain('示闲');
  });

  it('shows a failure as a toast with the server reason', async () => {
    const execute = vi.fn(async () => {
      throw { code: 'invalid_state', message: 'no call to hold' };
    });
    const { w } = await renderBar(inCall(), { execute });
    await button(w, '保持').trigger('click');
    await flushPromises();
    expect(w.find('.toast').text()).toContain('保持失败：当前状态不可操作（no call to hold）');
  });

  it('opens the reason menu and sends not-ready with the chosen reason', async () => {
    const { w, transport } = await renderBar(makeSnapshot());
    await button(w, '示忙▾').trigger('click');
    const items = w.findAll('[role="menuitem"]');
    expect(items.map((i) => i.text())).toEqual(['小休', '午休', '会议', '培训', '请假', '其他']);
    await items[1].trigger('click');
    expect(transport.execute).toHaveBeenCalledWith({ op: 'set_not_ready', reason: 'lunch' });
  });

  it('shows the presence queued for the end of the call', async () => {
    const { w } = await renderBar(inCall({}, { queued_presence: { presence: 'not_ready', reason: 'lunch' } }));
    expect(w.find('.queued').text()).toBe('通话结束后示忙·午休');
  });

  it('dials on Enter and remembers the number', async () => {
    const { w, transport } = await renderBar(makeSnapshot());
    const box = w.find('input.number-box');
    await box.setValue('138 0013 8000');
    await box.trigger('keydown', { key: 'Enter' });
    expect(transport.execute).toHaveBeenCalledWith({ op: 'dial', number: '13800138000' });
    expect(JSON.parse(localStorage.getItem('agentbar.recent_numbers')!)).toEqual(['13800138000']);
  });

  it('asks for the transfer target before sending', async () => {
    const { w, transport } = await renderBar(inCall());
    await button(w, '转接').trigger('click');
    const prompt = w.find('form.prompt');
    await prompt.find('input').setValue('2012');
    await prompt.trigger('submit');
    expect(transport.execute).toHaveBeenCalledWith({ op: 'transfer', target: '2012' });
  });

  it('follows snapshots and closes the card when the call ends', async () => {
    const { w, pushSnapshot, emit } = await renderBar(makeSnapshot());
    const ringing = inCall({ state: 'ringing', answered_at_ms: null });
    emit(event({ type: 'call_offered', call: ringing.calls[0] }));
    pushSnapshot(ringing);
    await flushPromises();
    expect(w.find('.state-word').text()).toBe('振铃');
    expect(w.findAll('.popup')).toHaveLength(1);
    emit(event({ type: 'call_ended', call: { ...ringing.calls[0], state: 'ended' } }));
    pushSnapshot(makeSnapshot());
    await flushPromises();
    expect(w.find('.popup').exists()).toBe(false);
  });

  it('opens the supervisor panel for a supervisor', async () => {
    const team = {
      members: [{ agent: '2012', name: '李四', extension: '2012', state: 'talking', state_secs: 65, current_call: '13900139000' }],
      queues: [{ queue: 'sales', waiting: 3, longest_wait_secs: 42, completed: null, abandoned: null }],
      updated_at_ms: Date.now(),
    };
    const { w, transport } = await renderBar(
      makeSnapshot({ agent: { id: '8005', name: '张三', extension: '2011', supervisor: true }, team }),
    );
    await button(w, '班长▸').trigger('click');
    expect(w.find('.queue').text()).toContain('排队数 3');
    expect(w.find('tbody').text()).toContain('李四');
    expect(w.find('tbody').text()).toContain('通话中');
    await button(w, '监听').trigger('click');
    expect(transport.execute).toHaveBeenCalledWith({ op: 'monitor', agent: '2012' });
  });

  it('says in the browser that settings are desktop-only', async () => {
    const { w } = await renderBar(makeSnapshot());
    await button(w, '⚙').trigger('click');
    expect(w.find('.panel').text()).toContain('设置仅在桌面版中可用');
  });

  it('saves desktop settings and says when the server settings need a restart', async () => {
    const saved = {
      language: 'zh-CN' as const, always_on_top: true, notifications: true, start_at_login: false,
      crm: { url_template: '', open_on: 'never' as const, open_in: 'browser' as const },
      hotkeys: { answer: '', hangup: '', ready_toggle: '', focus_dial: '' },
      profile: {
        vendor: 'mvb2000', base_url: 'http://10.0.0.5', agent_id: '8005', agent_name: '张三',
        extension: '2011', queues: ['5090'], poll_interval_ms: 1500, pause_reasons: ['lunch'],
        wrap_up_secs: 0, supervisor: false, local_api: { enabled: true, address: '127.0.0.1:10800', policy: 'prompt' as const, trusted_origins: [] as string[] },
        orgidentity: '', push_address: '',
      },
    };
    const settings = {
      get: vi.fn(async () => structuredClone(saved)), save: vi.fn(async () => {}), setSecret: vi.fn(),
      secretStatus: vi.fn(async () => ({ keyring_available: true, stored: true, storage: 'keyring' as const })),
      openCrm: vi.fn(), showBar: vi.fn(), closePopup: vi.fn(), fitBar: vi.fn(async () => {}),
      saveRecording: vi.fn(), apiToken: vi.fn(), rotateApiToken: vi.fn(),
    };
    const { w } = await renderBar(makeSnapshot(), { kind: 'tauri', settings });
    await button(w, '⚙').trigger('click');
    await flushPromises();
    expect(w.find('.panel').text()).toContain('本地接口');
    // A window setting alone applies at once.
    await w.find('.panel form').trigger('submit');
    await flushPromises();
    expect(settings.save).toHaveBeenCalledTimes(1);
    expect(document.body.textContent).toContain('设置已保存');
    expect(document.body.textContent).not.toContain('重新启动');
    // A new local API address is part of the session: it applies after a restart.
    await w.find('input[placeholder="127.0.0.1:10800"]').setValue('127.0.0.1:10900');
    await w.find('.panel form').trigger('submit');
    await flushPromises();
    const sent = (settings.save.mock.calls as unknown as [typeof saved][])[1][0];
    expect(sent.profile.local_api).toEqual({ enabled: true, address: '127.0.0.1:10900', policy: 'prompt', trusted_origins: [] });
    expect(document.body.textContent).toContain('服务器设置在重新启动 Agent Bar 后生效');
  });

  it('lists the history with results and redial', async () => {
    const history = vi.fn(async () => [
      {
        vendor: 'mvb2000', call_id: 'c1', agent_id: '8005', direction: 'inbound' as const,
        remote_number: '13800138000', remote_name: null, masked: false, did: null, queue: null,
        ivr_keys: null, hold_time_secs: null, started_at_ms: 1_700_000_000_000,
        answered_at_ms: null, ended_at_ms: 1_700_000_010_000, duration_secs: null,
        outcome: 'missed' as const, recording: null, attached: {},
      },
    ]);
    const { w, transport } = await renderBar(makeSnapshot(), { history });
    await button(w, '记录').trigger('click');
    await flushPromises();
    expect(history).toHaveBeenCalledWith({ limit: 50, beforeMs: undefined, number: undefined });
    expect(w.find('.panel tbody').text()).toContain('未接');
    await button(w, '回拨').trigger('click');
    expect(transport.execute).toHaveBeenCalledWith({ op: 'dial', number: '13800138000' });
  });

  it('saves and opens a recording in the desktop', async () => {
    const history = vi.fn(async () => [
      {
        vendor: 'mvb2000', call_id: 'c2', agent_id: '8005', direction: 'inbound' as const,
        remote_number: '13800138000', remote_name: null, masked: false, did: null, queue: null,
        ivr_keys: null, hold_time_secs: null, started_at_ms: 1_700_000_000_000,
        answered_at_ms: 1_700_000_002_000, ended_at_ms: 1_700_000_010_000, duration_secs: 8,
        outcome: 'answered' as const, recording: '1718.42', attached: {},
      },
    ]);
    const saveRecording = vi.fn(async () => '/home/a/Downloads/Agent Bar/1718.42.mp3');
    const settings = {
      get: vi.fn(async () => { throw new Error('not needed'); }), save: vi.fn(), setSecret: vi.fn(),
      secretStatus: vi.fn(), openCrm: vi.fn(), showBar: vi.fn(), closePopup: vi.fn(),
      fitBar: vi.fn(async () => {}), saveRecording, apiToken: vi.fn(), rotateApiToken: vi.fn(),
    };
    const { w } = await renderBar(makeSnapshot(), { kind: 'tauri', settings, history });
    await button(w, '记录').trigger('click');
    await flushPromises();
    await button(w, '录音').trigger('click');
    await flushPromises();
    expect(saveRecording).toHaveBeenCalledWith('1718.42');
    expect(document.body.textContent).toContain('录音已保存：/home/a/Downloads/Agent Bar/1718.42.mp3');
  });

  it('renders in English with ?lang=en words', async () => {
    lang.value = 'en';
    const { w } = await renderBar(makeSnapshot({ state: { state: 'not_ready', reason: 'lunch' }, presence: { presence: 'not_ready', reason: 'lunch' } }));
    expect(w.find('.state-word').text()).toBe('Not ready · Lunch');
    expect(w.find('.state').classes()).toContain('tone-not-ready');
  });
});

describe('the pop-up window', () => {
  it('renders only the cards and asks the shell to close when the last one goes', async () => {
    const closePopup = vi.fn(async () => {});
    const settings = {
      get: vi.fn(), save: vi.fn(), setSecret: vi.fn(), secretStatus: vi.fn(), openCrm: vi.fn(async () => {}),
      showBar: vi.fn(), closePopup, fitBar: vi.fn(async () => {}), saveRecording: vi.fn(),
      apiToken: vi.fn(), rotateApiToken: vi.fn(),
    };
    const ringing = inCall({ state: 'ringing', answered_at_ms: null });
    const { w, emit, pushSnapshot } = await renderBar(ringing, { kind: 'tauri', settings }, 'popup');
    expect(w.find('.bar').exists()).toBe(false);
    expect(w.find('.popup .caller').text()).toBe('13800138000');
    await button(w, '打开客户资料').trigger('click');
    expect(settings.openCrm).toHaveBeenCalledWith('1718.42');
    emit(event({ type: 'ui', request: { action: 'close_popup' } }));
    pushSnapshot(inCall());
    await flushPromises();
    expect(w.find('.popup').exists()).toBe(false);
    expect(closePopup).toHaveBeenCalled();
  });
});
