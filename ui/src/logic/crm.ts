//! The CRM address for a call: a template with `{phone} {callid} {did} {queue} {agent}`.
import type { Call } from '../types';

export const CRM_PLACEHOLDERS = ['phone', 'callid', 'did', 'queue', 'agent'] as const;
export type CrmField = (typeof CRM_PLACEHOLDERS)[number];
export type CrmFields = Record<CrmField, string>;

export function crmFields(call: Call, agentId: string): CrmFields {
  return {
    phone: call.remote_number,
    callid: call.id,
    did: call.did ?? '',
    queue: call.queue ?? '',
    agent: agentId,
  };
}

/**
 * Fills the template, each value URL-encoded; unknown `{names}` stay as they are. Returns
 * null unless the result is an http(s) URL, so a template cannot run script.
 */
export function buildCrmUrl(template: string, fields: CrmFields): string | null {
  if (!template.trim()) return null;
  const url = template.trim().replace(/\{(\w+)\}/g, (m, name: string) =>
    (CRM_PLACEHOLDERS as readonly string[]).includes(name)
      ? encodeURIComponent(fields[name as CrmField])
      : m,
  );
  return /^https?:\/\//i.test(url) ? url : null;
}
