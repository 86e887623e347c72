/**
 * The address book of the mail activities. The workflow names recipients by role and
 * pseudonymous id only (domain/notifications.ts); names and addresses live in the directory
 * (platform/directory.ts), on the worker's side, so they never enter workflow history.
 */
import type { ProfessionalRef } from '../domain/model';
import type { Recipients } from '../domain/notifications';
import type { Directory } from '../platform/directory';

export type RecipientRole = 'professional' | 'gedragswetenschapper' | 'organisation_lead' | 'coordinator';

/** A note (Dutch) that tells the recipient why this mail reached them instead of someone else. */
export type RecipientNote =
  | { kind: 'professional_unknown'; professionalId: string; organisation: string; organisationName?: string }
  | { kind: 'organisation_unknown'; organisation: string; professionalId?: string }
  | { kind: 'no_recipient' };

export interface ResolvedRecipient {
  /** Lower-cased address: the key of deduplication and of the sent-log. */
  address: string;
  name: string;
  /** Every role this address receives the mail in (one mail per address). */
  roles: RecipientRole[];
  /** Subject of the signed link: professionalId, `lead:<org>` or 'coordinator' (first role wins). */
  sub: string;
  /** Pseudonymous reference for logs: professionalId, `lead:<org>` or 'coordinator'. */
  ref: string;
  /** The recipient's organisation id (professionals and leads). */
  organisation?: string;
  organisationName?: string;
  /** The recipient's own directory entry asks for a daily digest (professionals only). */
  digest: boolean;
  notes: RecipientNote[];
}

/**
 * Addresses for a notification, in order: professionals, gedragswetenschapper, organisation
 * leads, coordinator. Nobody is dropped: an unknown professional's mail goes to their
 * organisation's lead, an unknown organisation's to the coordinator, each with a note; a request
 * that names nobody at all goes to the coordinator. Each address receives one mail.
 */
export function resolveRecipients(dir: Directory, r: Recipients): ResolvedRecipient[] {
  const byAddress = new Map<string, ResolvedRecipient>();
  const add = (
    entry: Omit<ResolvedRecipient, 'address' | 'roles' | 'notes'> & { email: string; role: RecipientRole; note?: RecipientNote },
  ) => {
    const address = entry.email.trim().toLowerCase();
    const existing = byAddress.get(address);
    if (existing) {
      if (!existing.roles.includes(entry.role)) existing.roles.push(entry.role);
      if (entry.note) existing.notes.push(entry.note);
      existing.digest = existing.digest && entry.digest;
      return;
    }
    byAddress.set(address, {
      address,
      name: entry.name,
      roles: [entry.role],
      sub: entry.sub,
      ref: entry.ref,
      organisation: entry.organisation,
      organisationName: entry.organisationName,
      digest: entry.digest,
      notes: entry.note ? [entry.note] : [],
    });
  };

  const coordinator = (note?: RecipientNote) =>
    add({
      email: dir.coordinator.email,
      name: dir.coordinator.name,
      role: 'coordinator',
      sub: 'coordinator',
      ref: 'coordinator',
      digest: false,
      note,
    });

  const lead = (organisation: string, note?: RecipientNote, professionalId?: string) => {
    const org = dir.organisations[organisation];
    if (!org) {
      coordinator({ kind: 'organisation_unknown', organisation, professionalId });
      return;
    }
    add({
      email: org.leadEmail,
      name: org.leadName,
      role: 'organisation_lead',
      sub: `lead:${organisation}`,
      ref: `lead:${organisation}`,
      organisation,
      organisationName: org.name,
      digest: false,
      note,
    });
  };

  const professional = (p: ProfessionalRef, role: 'professional' | 'gedragswetenschapper') => {
    const entry = dir.professionals[p.professionalId];
    if (!entry) {
      const organisationName = dir.organisations[p.organisation]?.name;
      lead(
        p.organisation,
        { kind: 'professional_unknown', professionalId: p.professionalId, organisation: p.organisation, organisationName },
        p.professionalId,
      );
      return;
    }
    add({
      email: entry.email,
      name: entry.name,
      role,
      sub: p.professionalId,
      ref: p.professionalId,
      organisation: entry.organisation,
      organisationName: dir.organisations[entry.organisation]?.name,
      digest: role === 'professional' && entry.digest === true,
    });
  };

  for (const p of r.professionals) professional(p, 'professional');
  if (r.gedragswetenschapper) professional(r.gedragswetenschapper, 'gedragswetenschapper');
  for (const org of r.organisationLeads) lead(org);
  if (r.coordinator) coordinator();
  if (byAddress.size === 0) coordinator({ kind: 'no_recipient' });
  return [...byAddress.values()];
}
