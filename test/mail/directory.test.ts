import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { directoryFromFile, loadDirectory } from '../../platform/directory';
import { resolveRecipients } from '../../activities/directory';
import { recipientsFor } from '../../domain/notifications';
import { ADDR, DAAN, DIRECTORY, EVA, FATMA, ILSE, removeTempDirs, tempDir } from './support/fixtures';

afterAll(() => removeTempDirs());

const none = { professionals: [], organisationLeads: [], coordinator: false };

describe('directory file', () => {
  test('the example directory is valid and uses the organisation ids of domain/organisations.json', () => {
    const dir = loadDirectory(resolve(__dirname, '../../config/directory.example.json'));
    const known = Object.keys(
      (JSON.parse(readFileSync(resolve(__dirname, '../../domain/organisations.json'), 'utf8')) as { organisations: object }).organisations,
    );
    expect(Object.keys(dir.organisations).length).toBeGreaterThan(3);
    for (const org of Object.keys(dir.organisations)) expect(known).toContain(org);
    for (const p of Object.values(dir.professionals)) {
      expect(known).toContain(p.organisation);
      expect(p.email).toMatch(/@[a-z.]*example\.org$/);
    }
    expect(dir.coordinator.email).toMatch(/example\.org$/);
  });

  test('an invalid file is refused naming the field, never the value', () => {
    const d = tempDir();
    const file = join(d, 'directory.json');
    const broken = structuredClone(DIRECTORY) as unknown as { professionals: Record<string, { email: string }> };
    broken.professionals['jf-0142']!.email = 'geheim-adres-zonder-domein';
    writeFileSync(file, JSON.stringify(broken));
    expect(() => loadDirectory(file)).toThrow(/professionals\.jf-0142\.email/);
    try {
      loadDirectory(file);
    } catch (err) {
      expect((err as Error).message).not.toContain('geheim-adres');
    }
    writeFileSync(file, '{ not json');
    expect(() => loadDirectory(file)).toThrow(/Invalid directory file/);
  });

  test('directoryFromFile follows edits of the file', () => {
    const d = tempDir();
    const file = join(d, 'directory.json');
    writeFileSync(file, JSON.stringify(DIRECTORY));
    const current = directoryFromFile(file);
    expect(current().professionals['xx-1']).toBeUndefined();
    const next = structuredClone(DIRECTORY);
    next.professionals['xx-1'] = { name: 'Nieuwe Collega', email: 'nieuw@jeugdformaat.example.org', organisation: 'jeugdformaat' };
    writeFileSync(file, JSON.stringify(next));
    expect(current().professionals['xx-1']?.email).toBe('nieuw@jeugdformaat.example.org');
  });
});

describe('resolveRecipients', () => {
  const addresses = (r: ReturnType<typeof resolveRecipients>) => r.map((x) => x.address);

  test('the escalation ladder of domain/notifications reaches the right addresses', () => {
    const d = { responsible: [FATMA] };
    expect(addresses(resolveRecipients(DIRECTORY, recipientsFor(d, 0, EVA)))).toEqual([ADDR.fatma]);
    expect(addresses(resolveRecipients(DIRECTORY, recipientsFor(d, 1, EVA)))).toEqual([ADDR.fatma]);
    expect(addresses(resolveRecipients(DIRECTORY, recipientsFor(d, 2, EVA)))).toEqual([ADDR.fatma, ADDR.eva, ADDR.leadJf]);
    expect(addresses(resolveRecipients(DIRECTORY, recipientsFor(d, 3, EVA)))).toEqual([
      ADDR.fatma,
      ADDR.eva,
      ADDR.leadJf,
      ADDR.coordinator,
    ]);
  });

  test('roles and link subjects per recipient', () => {
    const r = resolveRecipients(DIRECTORY, {
      professionals: [FATMA],
      organisationLeads: ['jeugdformaat'],
      gedragswetenschapper: EVA,
      coordinator: true,
    });
    expect(r.map((x) => [x.roles, x.sub])).toEqual([
      [['professional'], 'jf-0142'],
      [['gedragswetenschapper'], 'gw-0801'],
      [['organisation_lead'], 'lead:jeugdformaat'],
      [['coordinator'], 'coordinator'],
    ]);
    expect(r[2]!.organisationName).toBe('Jeugdformaat');
  });

  test('an unknown professional reaches their organisation lead with a note', () => {
    const r = resolveRecipients(DIRECTORY, { ...none, professionals: [{ professionalId: 'jf-9999', organisation: 'jeugdformaat' }] });
    expect(addresses(r)).toEqual([ADDR.leadJf]);
    expect(r[0]!.notes).toEqual([
      { kind: 'professional_unknown', professionalId: 'jf-9999', organisation: 'jeugdformaat', organisationName: 'Jeugdformaat' },
    ]);
  });

  test('an unknown organisation reaches the coordinator with a note', () => {
    const unknownPro = resolveRecipients(DIRECTORY, { ...none, professionals: [{ professionalId: 'x-1', organisation: 'onbekend' }] });
    expect(addresses(unknownPro)).toEqual([ADDR.coordinator]);
    expect(unknownPro[0]!.notes).toEqual([{ kind: 'organisation_unknown', organisation: 'onbekend', professionalId: 'x-1' }]);
    const unknownLead = resolveRecipients(DIRECTORY, { ...none, professionals: [FATMA], organisationLeads: ['onbekend'] });
    expect(addresses(unknownLead)).toEqual([ADDR.fatma, ADDR.coordinator]);
    expect(unknownLead[1]!.notes[0]).toMatchObject({ kind: 'organisation_unknown', organisation: 'onbekend' });
  });

  test('a request naming nobody reaches the coordinator, never nobody', () => {
    const r = resolveRecipients(DIRECTORY, none);
    expect(addresses(r)).toEqual([ADDR.coordinator]);
    expect(r[0]!.notes).toEqual([{ kind: 'no_recipient' }]);
  });

  test('addresses are deduplicated, roles and notes merged', () => {
    const dir = structuredClone(DIRECTORY);
    dir.organisations.jeugdformaat!.leadEmail = 'F.Yilmaz@Jeugdformaat.example.org';
    const r = resolveRecipients(dir, {
      professionals: [FATMA, FATMA, DAAN, { professionalId: 'jf-9999', organisation: 'jeugdformaat' }],
      organisationLeads: ['jeugdformaat', 'jeugdformaat'],
      coordinator: false,
    });
    expect(addresses(r)).toEqual([ADDR.fatma, ADDR.daan]);
    expect(r[0]!.roles).toEqual(['professional', 'organisation_lead']);
    expect(r[0]!.notes.map((n) => n.kind)).toEqual(['professional_unknown']);
  });

  test('digest applies only to a professional who asked for it, in that role', () => {
    const dir = structuredClone(DIRECTORY);
    dir.professionals['lt-0204']!.digest = true;
    const [ilse] = resolveRecipients(dir, { ...none, professionals: [ILSE] });
    expect(ilse!.digest).toBe(true);
    const [asGw] = resolveRecipients(dir, { ...none, gedragswetenschapper: ILSE });
    expect(asGw!.digest).toBe(false);
  });
});
