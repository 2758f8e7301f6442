//! The settings page's server profile per vendor: which fields each vendor's section has
//! (src-tauri's `Profile::to_runner_toml`, docs/config.md), what they are called there, and
//! whether its server needs a secret. The panel asks this table, never `vendor === '...'`.
import type { MessageKey } from '../i18n';

export const VENDOR_IDS = ['mvb2000', 'astercc', 'guoxin', '800hu'] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

export interface VendorFields {
  /** The server field: a URL, or Guoxin's `host[:port]` (not a URL, so no `type="url"`). */
  server: { label: MessageKey; hint: MessageKey; placeholder: string; url: boolean };
  /** The agent field's name: 工号, or 800hu's seat (坐席号). */
  agentId: MessageKey;
  /** The agent's phone; 800hu's seat is its line. */
  extension: boolean;
  /** The queues field's name (queues, asterCC's agent groups); null: the vendor has none. */
  groups: MessageKey | null;
  /** asterCC's team identity. */
  orgidentity: boolean;
  /** The push address's name (what the server pushes); null: the server pushes nothing. */
  push: MessageKey | null;
  /** The vendor's profile has a supervisor switch. */
  supervisor: boolean;
  /** The poll interval's default and lower bound (Guoxin's own: 2000 by its seed, ≥ 500). */
  poll: { initial: number; min: number };
  /** The secret's name; null: the server needs none (Guoxin's interface has no
   *  authentication, and the page offers no captcha calls). */
  secret: MessageKey | null;
}

const ENGINE_POLL = { initial: 1500, min: 100 };

export const VENDORS: Record<VendorId, VendorFields> = {
  mvb2000: {
    server: { label: 'profile.base_url', hint: 'server_hint.mvb2000', placeholder: 'http://192.168.0.201', url: true },
    agentId: 'profile.agent_id',
    extension: true,
    groups: 'profile.queues',
    orgidentity: false,
    push: null,
    supervisor: true,
    poll: ENGINE_POLL,
    secret: 'settings.secret',
  },
  astercc: {
    server: { label: 'profile.base_url', hint: 'server_hint.astercc', placeholder: 'http://192.168.1.45:4580', url: true },
    agentId: 'profile.agent_id',
    extension: true,
    groups: 'profile.agent_groups',
    orgidentity: true,
    push: 'profile.push_address',
    supervisor: true,
    poll: ENGINE_POLL,
    secret: 'settings.secret',
  },
  guoxin: {
    server: { label: 'profile.host', hint: 'server_hint.guoxin', placeholder: '192.168.1.20:12121', url: false },
    agentId: 'profile.agent_id_optional',
    extension: true,
    groups: null,
    orgidentity: false,
    push: 'profile.push_notices',
    supervisor: true,
    poll: { initial: 2000, min: 500 },
    secret: null,
  },
  '800hu': {
    server: { label: 'profile.base_url', hint: 'server_hint.800hu', placeholder: 'http://voip.800ing.com:8080', url: true },
    agentId: 'profile.seat',
    extension: false,
    groups: null,
    orgidentity: false,
    push: 'profile.push_records',
    supervisor: false,
    poll: ENGINE_POLL,
    secret: 'settings.secret_seat',
  },
};

export function isVendor(id: string): id is VendorId {
  return (VENDOR_IDS as readonly string[]).includes(id);
}

/** The poll interval after switching vendors: the new vendor's default if the agent kept the
 *  old one's, else theirs, raised to the new vendor's lower bound. */
export function seedPoll(current: number, from: VendorId, to: VendorId): number {
  const [was, next] = [VENDORS[from].poll, VENDORS[to].poll];
  return current === was.initial ? next.initial : Math.max(current, next.min);
}

/** The path a pushing server posts to on the push listener, and the listener's port, for
 *  the hint beside the push address (`0.0.0.0:10801` → 10801, `/push/guoxin`). */
export function pushTarget(vendor: string, address: string): { port: string; path: string } | null {
  const port = /:(\d{1,5})$/.exec(address.trim())?.[1];
  return port ? { port, path: `/push/${vendor}` } : null;
}
