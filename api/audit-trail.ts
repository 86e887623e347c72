/**
 * The one way the API, the dashboard pages and the action links write an audit line: who, from
 * the credentials (an API key, a session or a signed link; null when none held), and what: method,
 * route template, household, status and, for a refused link, a reason code. Never a token, a
 * query string or household content, so the chain holds no personal data.
 */
import type { AuditEntry, AuditRecord, AuditStore } from '../platform/store/audit';
import type { Caller } from './access';

export function auditWho(caller: Caller | null | undefined): AuditRecord['who'] {
  if (!caller) return null;
  if (caller.via === 'link') return { link: caller.sub, role: 'link' };
  return { keyId: caller.keyId, organisation: caller.organisation, role: caller.kind, professionalId: caller.professionalId };
}

/** Appends one line to the hash chain; resolves once it is committed. */
export function auditLine(audit: AuditStore, caller: Caller | null | undefined, what: AuditRecord['what']): Promise<AuditEntry> {
  return audit.append({ who: auditWho(caller), what });
}
