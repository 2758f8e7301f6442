// The local API's security policy in the bar (issue 7): the question queue, the open-mode
// warning, the origin rule mirrored for the settings page, the audit log's words, and the
// two transports' policy calls (IPC events, HTTP polling).
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../src/App.vue';
import SettingsPanel from '../src/components/SettingsPanel.vue';
import { lang } from '../src/i18n';
import {
  addOrigin, auditReasonKey, newlyTrusted, parseOrigin, promptQueue, restartKey, settleAnswering,
} from '../src/logic/policy';
import { createStore, STORE } from '../src/store';
import type { DesktopSettings, PolicyApi, Transport } from '../src/transport';
import { createHttpTransport, POLICY_POLL_MS, type HttpDeps } from '../src/transport/http';
import { tauriPolicy } from '../src/transport/tauri';
import type { AuditEntry, PolicyView, Settings } from '../src/types';
import { fakeTransport, makeSnapshot, savedSettings } from './fixtures';

const mounted: { unmount(): void }[] = [];
afterEach(() => {
  mounted.splice(0).forEach((w) => w.unmount());
  lang.value = 'zh-CN';
  vi.useRealTimers();
});

const CRM = 'https://crm.example.com';
const OTHER = 'http://127.0.0.1:8081';

function view(over: Partial<PolicyView> = {}): PolicyView {
  return { mode: 'prompt', origins: [], pending: [], allowed_once: [], denied: [], ...over };
}

/** A policy API whose views the test pushes, as the shell's events or the poll would. */
function fakePolicy(first: PolicyView) {
  let current = first;
  const subs = new Set<(v: PolicyView) => void>();
  const api = {
    view: vi.fn(async () => current),
    onView: vi.fn((cb: (v: PolicyView) => void) => {
      subs.add(cb);
      cb(current);
      return () => subs.delete(cb);
    }),
    answer: vi.fn(async (_origin: string, _answer: string) => {}),
    audit: vi.fn(async (_limit: number): Promise<AuditEntry[]> => []),
  } satisfies PolicyApi;
  return {
    api,
    push(v: PolicyView) {
      current = v;
      subs.forEach((cb) => cb(v));
    },
    /** The policy's view after an answer, as the next `view()` gives it. */
    set(v: PolicyView) {
      current = v;
    },
  };
}

async function renderBar(policy: PolicyApi, extra: Partial<Transport> = {}, viewName: 'bar' | 'popup' = 'bar') {
  const fake = fakeTransport(makeSnapshot(), { policy, ...extra });
  const store = createStore(fake.transport, { view: viewName });
  const w = mount(App, {
    props: { view: viewName, crmTemplate: '' },
    global: { provide: { [STORE as symbol]: store } },
    attachTo: document.body,
  });
  mounted.push(w);
  await store.start();
  await flushPromises();
  return { w, store };
}

describe('the question queue (logic)', () => {
  it('asks about pending pages oldest first, without those being answered', () => {
    expect(promptQueue(null, [])).toEqual([]);
    const v = view({ pending: [CRM, OTHER, CRM] });
    expect(promptQueue(v, [])).toEqual([CRM, OTHER]);
    expect(promptQueue(v, [CRM])).toEqual([OTHER]);
    // An answer is settled once the policy no longer lists the page as pending.
    expect(settleAnswering([CRM, OTHER], view({ pending: [OTHER] }))).toEqual([OTHER]);
    expect(settleAnswering([CRM], view())).toEqual([]);
  });

  it('finds origins that became trusted behind the settings page', () => {
    expect(newlyTrusted([CRM], [CRM, OTHER])).toEqual([OTHER]);
    expect(newlyTrusted([CRM, OTHER], [CRM])).toEqual([]);
  });

  it('needs no restart for the policy and origins, but does for the address', () => {
    const p = (local_api: Partial<Settings['profile']['local_api']>) =>
      ({
        vendor: 'mvb2000', base_url: '', agent_id: '', agent_name: '', extension: '', queues: [],
        poll_interval_ms: 1500, pause_reasons: [], wrap_up_secs: 0, supervisor: false,
        orgidentity: '', push_address: '',
        local_api: { enabled: true, address: '127.0.0.1:10800', policy: 'prompt', trusted_origins: [], ...local_api },
      }) as Settings['profile'];
    expect(restartKey(p({ policy: 'open', trusted_origins: [CRM] }))).toBe(restartKey(p({})));
    expect(restartKey(p({ address: '127.0.0.1:10900' }))).not.toBe(restartKey(p({})));
    expect(restartKey(p({ enabled: false }))).not.toBe(restartKey(p({})));
  });
});

describe('origins as the listener reads them', () => {
  it.each([
    ['https://crm.example.com', 'https://crm.example.com'],
    ['HTTPS://CRM.Example.COM', 'https://crm.example.com'],
    ['https://crm.example.com:443', 'https://crm.example.com'],
    ['http://crm.example.com:80', 'http://crm.example.com'],
    ['http://crm.example.com:443', 'http://crm.example.com:443'],
    ['http://10.0.0.5:8080', 'http://10.0.0.5:8080'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['http://[FE80::1]', 'http://[fe80::1]'],
    [' https://a.example ', 'https://a.example'],
    ['http://xn--fsq.example', 'http://xn--fsq.example'],
  ])('takes %s as %s', (raw, want) => {
    expect(parseOrigin(raw)).toEqual({ origin: want });
  });

  it.each([
    ['', 'empty'],
    ['null', 'null'],
    ['NULL', 'null'],
    ['ftp://a.example', 'scheme'],
    ['javascript://x', 'scheme'],
    ['crm.example.com', 'shape'],
    ['https://crm.example.com/path', 'shape'],
    ['https://crm.example.com?q', 'shape'],
    ['https://u:p@crm.example.com', 'shape'],
    ['https://', 'host'],
    ['https://.example', 'host'],
    ['https://a b.example', 'shape'],
    ['https://名字.example', 'host'],
    ['https://a.example:', 'port'],
    ['https://a.example:0', 'port'],
    ['https://a.example:65536', 'port'],
    ['https://a.example:+80', 'port'],
    ['http://[::1]x', 'port'],
    ['http://[]', 'host'],
  ])('refuses %j (%s)', (raw, problem) => {
    expect(parseOrigin(raw)).toEqual({ problem });
  });

  it('adds an origin once, normalised', () => {
    expect(addOrigin([], 'https://CRM.example.com/')).toEqual({ list: [CRM] });
    expect(addOrigin([CRM], 'https://crm.example.com:443')).toEqual({ problem: 'duplicate' });
    expect(addOrigin([CRM], 'nope')).toEqual({ problem: 'shape' });
  });
});

describe('the audit log\'s reasons', () => {
  const entry = (allowed: boolean, why: string): AuditEntry => ({ at_ms: 0, origin: null, operation: 'dial', allowed, why });
  it('knows the listener\'s reasons and leaves others as they are', () => {
    expect(auditReasonKey(entry(true, 'trusted origin'))).toBe('audit_allow.trusted_origin');
    expect(auditReasonKey(entry(true, "the bar's own page"))).toBe('audit_allow.bar');
    expect(auditReasonKey(entry(false, 'approval_pending: waiting for the agent to allow x'))).toBe('audit_refuse.approval_pending');
    expect(auditReasonKey(entry(false, 'rate_limited: too many requests'))).toBe('audit_refuse.rate_limited');
    expect(auditReasonKey(entry(false, 'something new'))).toBeNull();
    expect(auditReasonKey(entry(true, 'something new'))).toBeNull();
  });
});

describe('the question in the bar', () => {
  it('asks about the oldest page, queues the others, and answers', async () => {
    const p = fakePolicy(view({ pending: [CRM, OTHER] }));
    const { w } = await renderBar(p.api);
    const prompt = () => w.find('.policy-prompt');
    expect(prompt().text()).toContain(`允许 ${CRM} 控制坐席条？`);
    expect(prompt().text()).toContain('还有 1 个页面等待回答');
    expect(prompt().findAll('button').map((b) => b.text())).toEqual(['仅本次', '始终允许', '拒绝']);

    p.set(view({ pending: [OTHER], origins: [CRM] }));
    await prompt().find('[data-answer="always"]').trigger('click');
    await flushPromises();
    expect(p.api.answer).toHaveBeenCalledWith(CRM, 'always');
    expect(prompt().text()).toContain(`允许 ${OTHER} 控制坐席条？`);
    expect(prompt().text()).not.toContain('还有');

    p.set(view({ origins: [CRM], denied: [OTHER] }));
    await prompt().find('[data-answer="deny"]').trigger('click');
    await flushPromises();
    expect(p.api.answer).toHaveBeenLastCalledWith(OTHER, 'deny');
    expect(prompt().exists()).toBe(false);

    // A page asking later (an event, a poll) brings the question back.
    p.push(view({ origins: [CRM], pending: ['http://localhost:9000'] }));
    await flushPromises();
    expect(prompt().text()).toContain('http://localhost:9000');
  });

  it('hides an answered page at once, and brings it back if the answer fails', async () => {
    const p = fakePolicy(view({ pending: [CRM] }));
    let fail: (e: unknown) => void = () => {};
    p.api.answer.mockImplementationOnce(() => new Promise((_, reject) => (fail = reject)));
    const { w } = await renderBar(p.api);
    await w.find('[data-answer="once"]').trigger('click');
    expect(w.find('.policy-prompt').exists()).toBe(false);
    fail({ code: 'bar_only', message: 'only Agent Bar itself may answer' });
    await flushPromises();
    expect(w.find('.policy-prompt').exists()).toBe(true);
    expect(document.body.textContent).toContain('回答失败：only Agent Bar itself may answer');
  });

  it('speaks English', async () => {
    lang.value = 'en';
    const { w } = await renderBar(fakePolicy(view({ pending: [CRM] })).api);
    expect(w.find('.policy-prompt').text()).toContain(`Allow ${CRM} to control Agent Bar?`);
    expect(w.find('.policy-prompt').findAll('button').map((b) => b.text())).toEqual(['Allow once', 'Always allow', 'Deny']);
  });

  it('stands a warning while the mode is open, with no way to close it', async () => {
    const p = fakePolicy(view({ mode: 'open' }));
    const { w } = await renderBar(p.api);
    const warning = () => w.find('.notice.danger');
    expect(warning().text()).toContain('本地接口为开放模式：任何网页都能控制坐席条，仅限封闭网络使用');
    expect(warning().attributes('role')).toBe('alert');
    expect(warning().find('button').exists()).toBe(false);
    p.push(view({ mode: 'prompt' }));
    await flushPromises();
    expect(warning().exists()).toBe(false);
  });

  it('is not the pop-up window\'s business', async () => {
    const p = fakePolicy(view({ pending: [CRM], mode: 'open' }));
    const { w } = await renderBar(p.api, {}, 'popup');
    expect(p.api.onView).not.toHaveBeenCalled();
    expect(w.find('.policy-prompt').exists()).toBe(false);
  });
});

describe('HTTP transport: the policy', () => {
  function respond(status: number, body: unknown) {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }
  function http(fetch: HttpDeps['fetch']) {
    return createHttpTransport('http://127.0.0.1:10800/', { fetch, EventSource: class {} as unknown as typeof EventSource });
  }

  it('polls GET /api/v1/policy every 2 s while someone listens', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
      respond(200, { ok: true, policy: view({ pending: [CRM] }) }));
    const seen: PolicyView[] = [];
    const stop = http(fetch).policy!.onView((v) => seen.push(v));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe('http://127.0.0.1:10800/api/v1/policy');
    expect(seen[0].pending).toEqual([CRM]);
    await vi.advanceTimersByTimeAsync(POLICY_POLL_MS);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(POLICY_POLL_MS);
    expect(fetch).toHaveBeenCalledTimes(3);
    stop();
    await vi.advanceTimersByTimeAsync(POLICY_POLL_MS * 3);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('keeps polling through a lost link, and stops when refused', async () => {
    vi.useFakeTimers();
    let n = 0;
    const fetch = vi.fn(async () => {
      n += 1;
      if (n === 1) throw new TypeError('Failed to fetch');
      if (n === 2) return respond(200, { ok: true, policy: view() });
      return respond(403, { ok: false, error: { code: 'bar_only', message: 'only Agent Bar itself' } });
    });
    const seen: PolicyView[] = [];
    http(fetch).policy!.onView((v) => seen.push(v));
    await vi.advanceTimersByTimeAsync(POLICY_POLL_MS * 10);
    // Lost, answered, refused: then quiet, so the audit log does not fill with refusals.
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(seen).toHaveLength(1);
  });

  it('answers with POST /api/v1/policy/answer and reads the audit log', async () => {
    const entries: AuditEntry[] = [{ at_ms: 5, origin: CRM, operation: 'dial', allowed: false, why: 'approval_pending: x' }];
    const fetch = vi.fn(async (url: RequestInfo | URL, _init?: RequestInit) =>
      String(url).includes('audit') ? respond(200, { ok: true, entries }) : respond(200, { ok: true }));
    const t = http(fetch);
    await t.policy!.answer(CRM, 'once');
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://127.0.0.1:10800/api/v1/policy/answer');
    expect(init!.method).toBe('POST');
    expect(JSON.parse(init!.body as string)).toEqual({ origin: CRM, answer: 'once' });
    expect(await t.policy!.audit(50)).toEqual(entries);
    expect(fetch.mock.calls[1][0]).toBe('http://127.0.0.1:10800/api/v1/audit?limit=50');
    await expect(
      http(async () => respond(403, { ok: false, error: { code: 'bar_only', message: 'no' } })).policy!.answer(CRM, 'deny'),
    ).rejects.toEqual({ code: 'bar_only', message: 'no' });
  });
});

describe('Tauri transport: the policy', () => {
  it('calls the shell\'s commands and follows policy-event', async () => {
    const calls: [string, unknown][] = [];
    let resolveFirst: (v: PolicyView) => void = () => {};
    const call = <T,>(cmd: string, args?: Record<string, unknown>): Promise<T> => {
      calls.push([cmd, args]);
      if (cmd === 'policy_view') return new Promise<T>((r) => (resolveFirst = r as (v: PolicyView) => void));
      return Promise.resolve(undefined as T);
    };
    let emit: (u: unknown) => void = () => {};
    const subscribe = <T,>(event: string, cb: (p: T) => void) => {
      expect(event).toBe('policy-event');
      emit = cb as (u: unknown) => void;
      return () => {};
    };
    const api = tauriPolicy(call, subscribe);
    const seen: PolicyView[] = [];
    api.onView((v) => seen.push(v));
    // An event before the first answer: the event's view is the newer one.
    emit({ event: { type: 'asked', origin: CRM }, view: view({ pending: [CRM] }) });
    resolveFirst(view());
    await flushPromises();
    expect(seen).toEqual([view({ pending: [CRM] })]);
    await api.answer(CRM, 'always');
    await api.audit(100);
    expect(calls.slice(1)).toEqual([
      ['policy_answer', { origin: CRM, answer: 'always' }],
      ['policy_audit', { limit: 100 }],
    ]);
  });
});

describe('settings: the local API', () => {
  const TOKEN = '0123456789abcdef'.repeat(4);

  const saved = (local_api: Partial<Settings['profile']['local_api']> = {}): Settings =>
    savedSettings({
      local_api: { enabled: true, address: '127.0.0.1:10800', policy: 'prompt', trusted_origins: [CRM], ...local_api },
    });

  async function renderPanel(first = saved(), policyView = view({ origins: [CRM] })) {
    const settings = {
      get: vi.fn(async () => first),
      save: vi.fn(async (_: Settings) => {}),
      setSecret: vi.fn(async (_: string) => {}),
      secretStatus: vi.fn(async () => ({ keyring_available: true, stored: true, storage: 'keyring' as const })),
      openCrm: vi.fn(), showBar: vi.fn(), closePopup: vi.fn(), fitBar: vi.fn(async () => {}),
      saveRecording: vi.fn(),
      apiToken: vi.fn(async () => ({ token: TOKEN, storage: 'keyring' as const })),
      rotateApiToken: vi.fn(async () => {}),
    } satisfies DesktopSettings;
    const p = fakePolicy(policyView);
    p.api.audit.mockResolvedValue([
      { at_ms: 2_000, origin: CRM, operation: 'dial', allowed: true, why: 'trusted origin' },
      { at_ms: 1_000, origin: null, operation: 'type=0', allowed: false, why: 'token_required: no token' },
    ]);
    const { transport } = fakeTransport(makeSnapshot(), { kind: 'tauri', settings, policy: p.api });
    const store = createStore(transport);
    await store.start();
    const w = mount(SettingsPanel, { global: { provide: { [STORE as symbol]: store } }, attachTo: document.body });
    mounted.push(w);
    await flushPromises();
    const toasts = () => store.state.toasts.map((x) => x.text);
    const submit = async () => {
      await w.findAll('form')[0].trigger('submit');
      await flushPromises();
    };
    return { w, settings, policy: p, toasts, submit };
  }

  it('explains each mode in one line and saves the mode without asking for a restart', async () => {
    const { w, settings, toasts, submit } = await renderPanel();
    const select = w.find('select[name="policy"]');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['询问（推荐）', '严格', '开放']);
    expect(w.text()).toContain('其他网页首次访问时由坐席确认');
    await select.setValue('strict');
    expect(w.text()).toContain('必须带配对令牌');
    await select.setValue('open');
    expect(w.text()).toContain('任何网页都能控制坐席条');
    await submit();
    expect(settings.save.mock.calls[0][0].profile.local_api.policy).toBe('open');
    expect(toasts()).toContain('设置已保存');
  });

  it('adds and removes trusted origins, naming what is wrong', async () => {
    const { w, settings, submit } = await renderPanel();
    const input = w.find('input[name="origin_new"]');
    const add = () => w.findAll('button').find((b) => b.text() === '添加')!.trigger('click');
    await input.setValue('crm.example.com');
    await add();
    expect(w.find('.error[role="alert"]').text()).toBe('只填来源：协议://主机[:端口]，不含路径');
    await input.setValue('https://crm.example.com:443/');
    await add();
    expect(w.find('.error[role="alert"]').text()).toBe('已在列表中');
    await input.setValue('HTTP://10.0.0.5:8080');
    await add();
    expect(w.find('.error[role="alert"]').exists()).toBe(false);
    expect(w.findAll('.origins code').map((c) => c.text())).toEqual([CRM, 'http://10.0.0.5:8080']);
    await w.find(`[aria-label="移除 ${CRM}"]`).trigger('click');
    await submit();
    expect(settings.save.mock.calls[0][0].profile.local_api.trusted_origins).toEqual(['http://10.0.0.5:8080']);
  });

  it('keeps an origin allowed "always" while the page was open', async () => {
    const { settings, policy, submit } = await renderPanel();
    policy.push(view({ origins: [CRM, OTHER] }));
    await flushPromises();
    await submit();
    expect(settings.save.mock.calls[0][0].profile.local_api.trusted_origins).toEqual([CRM, OTHER]);
  });

  it('hides the token until asked, copies it, and rotates only once confirmed', async () => {
    const writeText = vi.fn(async (_: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { w, settings, toasts } = await renderPanel();
    const token = () => w.find('input[name="api_token"]');
    expect(token().attributes('type')).toBe('password');
    expect((token().element as HTMLInputElement).value).not.toBe(TOKEN);
    expect(settings.apiToken).not.toHaveBeenCalled();

    await w.find('[data-token="copy"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(TOKEN);
    expect(toasts()).toContain('配对令牌已复制');
    // Copying does not show it.
    expect(token().attributes('type')).toBe('password');

    await w.find('[data-token="show"]').trigger('click');
    await flushPromises();
    expect(token().attributes('type')).toBe('text');
    expect((token().element as HTMLInputElement).value).toBe(TOKEN);

    await w.find('[data-token="rotate"]').trigger('click');
    expect(settings.rotateApiToken).not.toHaveBeenCalled();
    expect(w.text()).toContain('使用旧令牌的网页和程序会立即失效');
    const NEW = 'f'.repeat(64);
    settings.apiToken.mockResolvedValue({ token: NEW, storage: 'keyring' });
    await w.find('[data-token="rotate-yes"]').trigger('click');
    await flushPromises();
    expect(settings.rotateApiToken).toHaveBeenCalledTimes(1);
    expect((token().element as HTMLInputElement).value).toBe(NEW);
    expect(toasts()).toContain('已更换配对令牌');

    await w.find('[data-token="hide"]').trigger('click');
    expect(token().attributes('type')).toBe('password');
  });

  it('lists the security log newest first, in the agent\'s words, and refreshes it', async () => {
    const { w, policy } = await renderPanel();
    expect(w.find('.audit h2').text()).toBe('安全日志');
    const rows = w.findAll('.audit tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(rows).toHaveLength(2);
    expect(rows[0].slice(1)).toEqual([CRM, 'dial', '允许', '信任的来源']);
    expect(rows[1].slice(1)).toEqual(['（无来源）', 'type=0', '拒绝', '需要配对令牌']);
    expect(policy.api.audit).toHaveBeenCalledTimes(1);
    await w.find('button[name="audit_refresh"]').trigger('click');
    await flushPromises();
    expect(policy.api.audit).toHaveBeenCalledTimes(2);
  });

  it('shows the security log in a browser too, where settings are not', async () => {
    const p = fakePolicy(view());
    p.api.audit.mockResolvedValue([]);
    const { transport } = fakeTransport(makeSnapshot(), { policy: p.api });
    const store = createStore(transport);
    const w = mount(SettingsPanel, { global: { provide: { [STORE as symbol]: store } } });
    mounted.push(w);
    await flushPromises();
    expect(w.text()).toContain('设置仅在桌面版中可用');
    expect(w.find('.audit').text()).toContain('暂无控制请求');
  });
});
