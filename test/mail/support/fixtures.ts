/** A small directory and request builders shared by the mail tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Directory } from '../../../platform/directory';
import type { MailDeps, MailLogger } from '../../../activities/mail';
import type { NotificationRequest } from '../../../domain/notifications';
import { MailStore } from '../../../platform/store/mail';
import { freshDatabase } from '../../support/database';

export const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');
export const FROM = 'Routekaart naar Veiligheid <routekaart@routekaart.example.org>';
export const PUBLIC_URL = 'https://routekaart.example.org';
export const NOW = new Date('2025-03-10T08:00:00.000Z');

export const DIRECTORY: Directory = {
  professionals: {
    'jf-0142': { name: 'Fatma Yilmaz', email: 'f.yilmaz@jeugdformaat.example.org', organisation: 'jeugdformaat' },
    'jf-0150': { name: 'Daan Visser', email: 'd.visser@jeugdformaat.example.org', organisation: 'jeugdformaat' },
    'lt-0204': { name: 'Ilse Jansen', email: 'i.jansen@lokaalteam.example.org', organisation: 'lokaal-team' },
    'gw-0801': { name: 'Eva de Boer', email: 'e.deboer@jeugdformaat.example.org', organisation: 'jeugdformaat' },
    'ds-0311': { name: 'Ruben Bakker', email: 'r.bakker@delftsupport.example.org', organisation: 'delft-support', digest: true },
  },
  organisations: {
    jeugdformaat: { name: 'Jeugdformaat', leadEmail: 'teamleider@jeugdformaat.example.org', leadName: 'Bas Willems' },
    'lokaal-team': { name: 'Lokaal team / gemeente', leadEmail: 'teamleider@lokaalteam.example.org', leadName: 'Jeroen de Graaf' },
    'delft-support': { name: 'Delft Support', leadEmail: 'teamleider@delftsupport.example.org', leadName: 'Marloes Koster' },
  },
  coordinator: { name: 'Esther van Leeuwen', email: 'coordinatie@routekaart.example.org' },
};

export const ADDR = {
  fatma: 'f.yilmaz@jeugdformaat.example.org',
  daan: 'd.visser@jeugdformaat.example.org',
  ilse: 'i.jansen@lokaalteam.example.org',
  eva: 'e.deboer@jeugdformaat.example.org',
  ruben: 'r.bakker@delftsupport.example.org',
  leadJf: 'teamleider@jeugdformaat.example.org',
  leadLt: 'teamleider@lokaalteam.example.org',
  coordinator: 'coordinatie@routekaart.example.org',
};

/** Every name in the directory: a mail may show only its own recipient's name. */
export const ALL_NAMES = [
  ...Object.values(DIRECTORY.professionals).map((p) => p.name),
  ...Object.values(DIRECTORY.organisations).map((o) => o.leadName),
  DIRECTORY.coordinator.name,
];

export const FATMA = { professionalId: 'jf-0142', organisation: 'jeugdformaat' };
export const DAAN = { professionalId: 'jf-0150', organisation: 'jeugdformaat' };
export const ILSE = { professionalId: 'lt-0204', organisation: 'lokaal-team' };
export const EVA = { professionalId: 'gw-0801', organisation: 'jeugdformaat' };
export const RUBEN = { professionalId: 'ds-0311', organisation: 'delft-support' };

export function request(over: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    idempotencyKey: 'hh-7f3a9c:R-32:score:d1:2025-03:0:2025-03-20T08:00:00.000Z',
    householdId: 'hh-7f3a9c',
    kind: 'score',
    rule: 'R-32',
    level: 0,
    reason: 'Gevaar d1 is deze maand (2025-03) nog niet door huishouden, netwerk én professionals gescoord.',
    since: '2025-03-20T08:00:00.000Z',
    recipients: { professionals: [FATMA], organisationLeads: [], coordinator: false },
    phase: 'risicogestuurd',
    ...over,
  };
}

const made: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'routekaart-mail-'));
  made.push(d);
  return d;
}

/** Removes the temp dirs of this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface CapturedLog {
  level: 'info' | 'warn';
  message: string;
  attrs: Record<string, unknown>;
}

export function captureLogger(): MailLogger & { lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  return {
    lines,
    info: (message, attrs) => lines.push({ level: 'info', message, attrs }),
    warn: (message, attrs) => lines.push({ level: 'warn', message, attrs }),
  };
}

/** A sent-log and digest queue of their own, in a fresh database schema. */
export async function freshMailStore(): Promise<MailStore> {
  return new MailStore(await freshDatabase());
}

export function smtpDeps(port: number, store: MailStore, over: Partial<MailDeps> = {}): MailDeps {
  return {
    transport: {
      kind: 'smtp',
      smtp: { host: '127.0.0.1', port, secure: false, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 5000 },
    },
    from: FROM,
    directory: DIRECTORY,
    publicUrl: PUBLIC_URL,
    linkSecret: SECRET,
    store,
    now: () => NOW,
    ...over,
  };
}
