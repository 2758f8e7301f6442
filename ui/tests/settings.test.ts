// The settings page's server profile per vendor: the fields each vendor's section has, their
// names, the poll default and the secret (src-tauri's `Profile::to_runner_toml` writes them).
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SettingsPanel from '../src/components/SettingsPanel.vue';
import { lang } from '../src/i18n';
import { pushTarget, seedPoll } from '../src/logic/vendors';
import { createStore, STORE } from '../src/store';
import type { DesktopSettings } from '../src/transport';
import type { Settings } from '../src/types';
import { fakeTransport, makeSnapshot, savedSettings } from './fixtures';

const mounted: { unmount(): void }[] = [];
afterEach(() => {
  mounted.splice(0).forEach((w) => w.unmount());
  lang.value = 'zh-CN';
});

const saved = savedSettings;

async function renderPanel(profile: Partial<Settings['profile']> = {}) {
  const settings = {
    get: vi.fn(async () => saved(profile)),
    save: vi.fn(async (_: Settings) => {}),
    setSecret: vi.fn(async (_: string) => {}),
    secretStatus: vi.fn(async () => ({ keyring_available: true, stored: false, storage: 'keyring' as const })),
    openCrm: vi.fn(), showBar: vi.fn(), closePopup: vi.fn(), fitBar: vi.fn(async () => {}),
    saveRecording: vi.fn(),
    apiToken: vi.fn(async () => ({ token: 'ab'.repeat(32), storage: 'keyring' as const })),
    rotateApiToken: vi.fn(async () => {}),
  } satisfies DesktopSettings;
  const { transport } = fakeTransport(makeSnapshot(), { kind: 'tauri', settings });
  const store = createStore(transport);
  const w = mount(SettingsPanel, { global: { provide: { [STORE as symbol]: store } }, attachTo: document.body });
  mounted.push(w);
  await flushPromises();
  const toasts = () => store.state.toasts.map((x) => x.text);
  return { w, settings, toasts };
}

type Panel = Awaited<ReturnType<typeof renderPanel>>['w'];
/** The named inputs on the page, in order: what the agent can fill in. */
const fieldNames = (w: Panel) => w.findAll('[name]').map((e) => e.attributes('name'));
const labelOf = (w: Panel, name: string) => w.find(`[name="${name}"]`).element.closest('label')?.textContent?.trim();
const submitProfile = async (w: Panel) => {
  await w.findAll('form')[0].trigger('submit');
  await flushPromises();
};

describe('the server profile per vendor', () => {
  it('offers the four vendors by their names', async () => {
    const { w } = await renderPanel();
    const options = () => w.findAll('select[name="vendor"] option').map((o) => [o.attributes('value'), o.text()]);
    expect(options()).toEqual([['mvb2000', 'MVB2000'], ['astercc', 'asterCC'], ['guoxin', '国信'], ['800hu', '八百呼']]);
    lang.value = 'en';
    await flushPromises();
    expect(options().map(([, label]) => label)).toEqual(['MVB2000', 'asterCC', 'Guoxin', '800hu']);
  });

  it.each([
    ['mvb2000', ['base_url', 'agent_id', 'agent_name', 'extension', 'queues', 'poll_interval_ms', 'supervisor', 'secret']],
    ['astercc', ['orgidentity', 'base_url', 'agent_id', 'agent_name', 'extension', 'queues', 'push_address', 'poll_interval_ms', 'supervisor', 'secret']],
    // Guoxin: no queues, and no secret (its interface has no authentication).
    ['guoxin', ['base_url', 'agent_id', 'agent_name', 'extension', 'push_address', 'poll_interval_ms', 'supervisor']],
    // 800hu: the seat is the line: no extension, no queues, no supervisor requests.
    ['800hu', ['base_url', 'agent_id', 'agent_name', 'push_address', 'poll_interval_ms', 'secret']],
  ])('shows %s its own fields', async (vendor, fields) => {
    const { w } = await renderPanel({ vendor });
    // The local API's own fields (every vendor's) come between the profile and the secret.
    const local = ['policy', 'origin_new', 'api_token'];
    const secret = fields.at(-1) === 'secret' ? ['secret'] : [];
    const profile = secret.length ? fields.slice(0, -1) : fields;
    expect(fieldNames(w)).toEqual(['vendor', ...profile, ...local, ...secret]);
  });

  it('names the fields as each vendor does, with its server hint', async () => {
    const { w } = await renderPanel({ vendor: 'guoxin', base_url: '192.168.1.20' });
    const server = w.find('[name="base_url"]');
    expect(labelOf(w, 'base_url')).toBe('服务器地址（主机:端口）');
    // host:port is not a URL: a url input would refuse the form.
    expect(server.attributes('type')).toBe('text');
    expect(server.attributes('placeholder')).toBe('192.168.1.20:12121');
    expect(w.text()).toContain('端口不是 12121 时加上 :端口');
    expect(labelOf(w, 'agent_id')).toBe('工号（留空则显示分机号）');
    expect(labelOf(w, 'push_address')).toBe('来电通知接收地址（留空则轮询）');
    expect(w.find('[name="poll_interval_ms"]').attributes('min')).toBe('500');
    expect(w.text()).toContain('国信接口没有认证，无需密钥');

    await w.find('select[name="vendor"]').setValue('800hu');
    expect(w.find('[name="base_url"]').attributes('type')).toBe('url');
    expect(w.find('[name="base_url"]').attributes('placeholder')).toBe('http://voip.800ing.com:8080');
    expect(w.text()).toContain('八百呼服务器的网址');
    expect(labelOf(w, 'agent_id')).toBe('坐席号');
    expect(labelOf(w, 'push_address')).toBe('通话记录接收地址（可留空）');
    expect(labelOf(w, 'secret')).toBe('坐席密码');
    expect(w.text()).not.toContain('无需密钥');

    lang.value = 'en';
    await flushPromises();
    expect(labelOf(w, 'agent_id')).toBe('Seat');
    expect(labelOf(w, 'secret')).toBe('Seat password');
    await w.find('select[name="vendor"]').setValue('guoxin');
    expect(labelOf(w, 'base_url')).toBe('Server (host:port)');
    expect(w.text()).toContain("Guoxin's interface has no authentication: no secret needed");
  });

  it('saves a Guoxin profile with its poll default and tells where notices go', async () => {
    const { w, settings, toasts } = await renderPanel();
    await w.find('select[name="vendor"]').setValue('guoxin');
    // Guoxin's own interval (EXTNUM_STATE every 2 s), as the agent kept the engine's default.
    expect((w.find('[name="poll_interval_ms"]').element as HTMLInputElement).value).toBe('2000');
    await w.find('[name="base_url"]').setValue('192.168.1.20:12122');
    await w.find('[name="extension"]').setValue('801');
    expect(w.text()).not.toContain('/push/guoxin');
    await w.find('[name="push_address"]').setValue('0.0.0.0:10801');
    expect(w.text()).toContain('在服务器上把推送地址设为 http://<本机地址>:10801/push/guoxin');
    await submitProfile(w);
    const sent = settings.save.mock.calls[0][0].profile;
    expect(sent).toMatchObject({
      vendor: 'guoxin', base_url: '192.168.1.20:12122', agent_id: '8005', extension: '801',
      poll_interval_ms: 2000, push_address: '0.0.0.0:10801',
    });
    expect(toasts()).toEqual(['设置已保存；服务器设置在重新启动 Agent Bar 后生效']);
  });

  it('saves an 800hu profile and its seat password', async () => {
    const { w, settings, toasts } = await renderPanel({ poll_interval_ms: 3000 });
    await w.find('select[name="vendor"]').setValue('800hu');
    // An interval the agent chose stays.
    expect((w.find('[name="poll_interval_ms"]').element as HTMLInputElement).value).toBe('3000');
    await w.find('[name="base_url"]').setValue('http://voip.800ing.com:8080');
    await w.find('[name="agent_id"]').setValue('100008800');
    await submitProfile(w);
    expect(settings.save.mock.calls[0][0].profile).toMatchObject({
      vendor: '800hu', base_url: 'http://voip.800ing.com:8080', agent_id: '100008800', poll_interval_ms: 3000,
    });
    await w.find('[name="secret"]').setValue('s3at-pw');
    await w.findAll('form')[1].trigger('submit');
    await flushPromises();
    expect(settings.setSecret).toHaveBeenCalledWith('s3at-pw');
    expect(toasts()).toContain('密钥已保存');
  });

  it('keeps a saved interval on load and follows the defaults when switching', async () => {
    const { w } = await renderPanel({ vendor: 'guoxin', poll_interval_ms: 1500 });
    const poll = () => (w.find('[name="poll_interval_ms"]').element as HTMLInputElement).value;
    expect(poll()).toBe('1500');
    await w.find('select[name="vendor"]').setValue('mvb2000');
    expect(poll()).toBe('1500');
    await w.find('select[name="vendor"]').setValue('guoxin');
    expect(poll()).toBe('2000');
    await w.find('select[name="vendor"]').setValue('astercc');
    expect(poll()).toBe('1500');
  });
});

describe('the vendor table', () => {
  it('seeds each vendor\'s poll default and keeps the agent\'s own within bounds', () => {
    expect(seedPoll(1500, 'mvb2000', 'guoxin')).toBe(2000);
    expect(seedPoll(2000, 'guoxin', '800hu')).toBe(1500);
    expect(seedPoll(3000, 'astercc', 'guoxin')).toBe(3000);
    expect(seedPoll(200, 'mvb2000', 'guoxin')).toBe(500);
  });

  it('finds the push listener\'s port for the server\'s push URL', () => {
    expect(pushTarget('guoxin', '0.0.0.0:10801')).toEqual({ port: '10801', path: '/push/guoxin' });
    expect(pushTarget('800hu', ' [::]:10802 ')).toEqual({ port: '10802', path: '/push/800hu' });
    expect(pushTarget('guoxin', '')).toBeNull();
  });
});
