//! The local API's policy as the bar shows it: the queue of pages waiting for the agent's
//! answer, a mirror of the listener's origin rule for the settings page (the listener checks
//! again on save), and the audit log's reasons as words.
import type { AuditEntry, PolicyView, Settings } from '../types';

/**
 * The pages to ask about, oldest first: the policy's pending list without those the agent
 * has just answered here (their answer is on its way; the next view drops them).
 */
export function promptQueue(view: PolicyView | null, answering: readonly string[]): string[] {
  if (!view) return [];
  const seen = new Set<string>();
  return view.pending.filter((o) => !answering.includes(o) && !seen.has(o) && (seen.add(o), true));
}

/** The answers still in flight once `view` arrived: an origin no longer pending is settled. */
export function settleAnswering(answering: readonly string[], view: PolicyView): string[] {
  return answering.filter((o) => view.pending.includes(o));
}

/** Why an origin is refused by the settings page (a key under `origin_error.`). */
export type OriginProblem = 'empty' | 'null' | 'scheme' | 'shape' | 'host' | 'port';

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/**
 * A trusted-origin entry as the listener reads an `Origin` header (`Origin::from_header`):
 * `http(s)://host[:port]`, a trailing `/` forgiven, host lower-cased, default port dropped.
 * Answers the normalised origin or why it is not one.
 */
export function parseOrigin(raw: string): { origin: string } | { problem: OriginProblem } {
  const value = raw.trim();
  if (!value) return { problem: 'empty' };
  if (value.toLowerCase() === 'null') return { problem: 'null' };
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(value);
  if (!m) return { problem: 'shape' };
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { problem: 'scheme' };
  const authority = m[2].endsWith('/') ? m[2].slice(0, -1) : m[2];
  if (/[/?#@\s]/.test(authority)) return { problem: 'shape' };
  let host: string;
  let port: string | null = null;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return { problem: 'host' };
    host = authority.slice(0, close + 1);
    const after = authority.slice(close + 1);
    if (after) {
      if (!after.startsWith(':')) return { problem: 'port' };
      port = after.slice(1);
    }
    const inner = host.slice(1, -1);
    if (!inner || !inner.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(inner)) return { problem: 'host' };
  } else {
    const i = authority.indexOf(':');
    host = i < 0 ? authority : authority.slice(0, i);
    if (i >= 0) port = authority.slice(i + 1);
    if (!host || host.length > 253 || host.startsWith('.') || !/^[A-Za-z0-9._-]+$/.test(host)) {
      return { problem: 'host' };
    }
  }
  host = host.toLowerCase();
  if (port !== null) {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return { problem: 'port' };
    port = String(Number(port));
    if (port === DEFAULT_PORT[scheme]) port = null;
  }
  return { origin: `${scheme}://${host}${port ? ':' + port : ''}` };
}

/** Adds `raw` to `list` (normalised, once); answers the new list or why not. */
export function addOrigin(list: readonly string[], raw: string): { list: string[] } | { problem: OriginProblem | 'duplicate' } {
  const r = parseOrigin(raw);
  if ('problem' in r) return r;
  const known = list.map((o) => {
    const p = parseOrigin(o);
    return 'origin' in p ? p.origin : o;
  });
  if (known.includes(r.origin)) return { problem: 'duplicate' };
  return { list: [...list, r.origin] };
}

/**
 * Origins that appeared in the live policy's trusted list since `known` (an "always allow"
 * answered while the settings page was open): the page adds them to its form so saving it
 * does not drop them.
 */
export function newlyTrusted(known: readonly string[], live: readonly string[]): string[] {
  return live.filter((o) => !known.includes(o));
}

/** The listener's reasons for allowing, by their text (`AllowReason::as_str`). */
const ALLOW_REASONS: Record<string, string> = {
  'open mode': 'open_mode',
  'trusted origin': 'trusted_origin',
  'allowed by the agent for this session': 'once',
  "the bar's own page": 'bar',
  'pairing token': 'token',
  'trusted origin and pairing token': 'trusted_origin_and_token',
};

/** The refusal codes the audit log's `why` starts with (`code: message`). */
export const REFUSAL_CODES = [
  'token_required', 'bad_token', 'untrusted_origin', 'origin_refused', 'origin_denied',
  'approval_pending', 'too_many_pending', 'jsonp_refused', 'rate_limited',
] as const;

/**
 * The key of an audit entry's reason (`audit_allow.<x>` or `audit_refuse.<code>`), or null
 * when the listener gave one this page does not know (then its own text is shown).
 */
export function auditReasonKey(e: AuditEntry): string | null {
  if (e.allowed) {
    const k = ALLOW_REASONS[e.why];
    return k ? `audit_allow.${k}` : null;
  }
  const code = e.why.split(':', 1)[0].trim();
  return (REFUSAL_CODES as readonly string[]).includes(code) ? `audit_refuse.${code}` : null;
}

export const ALLOW_REASON_KEYS = Object.values(ALLOW_REASONS);

/**
 * What of the server profile needs a restart to take effect: all of it but the local API's
 * policy and trusted origins, which the running listener takes at once.
 */
export function restartKey(profile: Settings['profile']): string {
  const { policy: _policy, trusted_origins: _origins, ...listener } = profile.local_api;
  return JSON.stringify({ ...profile, local_api: listener });
}
