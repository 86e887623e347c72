/**
 * The impact report as CSV, parsed back: one record per figure with the report's values,
 * suppression marked, quotes, commas and line breaks read back whole; on hand-built read-model rows
 * (test/support/impact-rows.ts).
 */
import { IMPACT_CSV_HEADER, impactCsv, NO_DATA_NOTE, reportLines, SUPPRESSED_NOTE, UTF8_BOM } from '../../domain/impact-csv';
import { impactReport } from '../../domain/impact-report';
import { at, closedHousehold, escalation, handover, ids, merge, phase, Q1, rows, v } from '../support/impact-rows';

/** RFC 4180: fields separated by commas, records by CRLF; a quoted field may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  // A reader skips the byte-order mark, as Excel does.
  for (let i = text.startsWith(UTF8_BOM) ? 1 : 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += ch;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i++;
    } else {
      field += ch;
    }
  }
  if (field !== '' || record.length) {
    endField();
    records.push(record);
  }
  return records;
}

describe('CSV', () => {
  const report = () =>
    impactReport(
      merge(
        rows({
          phases: ids(6).map((id, i) => phase(id, 'veiligheid', at('2026-01-05'), at(`2026-02-0${i + 1}`))),
          escalations: [
            ...ids(7).map((id) => escalation(id, 'R-24', 1, at('2026-02-01'))),
            ...ids(5).map((id) => escalation(id, 'R-32', 2, at('2026-02-01'))),
            ...ids(6).map((id) => escalation(id, 'R-62', 3, at('2026-03-01'))),
          ],
          handovers: ids(3).map((id) => handover(id, at('2026-03-01'))),
        }),
        ...ids(5, 'c').map((id) => closedHousehold(id, at('2026-02-10'), ['herstel'], 'criteria', 4)),
      ),
      Q1,
    );

  test('the parser itself reads quotes, commas and line breaks', () => {
    expect(parseCsv('a,"b,c","d ""e""","f\r\ng"\r\n1,,3,,\r\n')).toEqual([
      ['a', 'b,c', 'd "e"', 'f\r\ng'],
      ['1', '', '3', '', ''],
    ]);
  });

  test('parses back to one record per figure, with the same values as the report', () => {
    const r = report();
    const csv = impactCsv(r);
    // UTF-8 byte-order mark first, so Excel shows 'geïmporteerd' and not 'geÃ¯mporteerd'.
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...records] = parseCsv(csv);
    expect(header).toEqual([...IMPACT_CSV_HEADER]);
    const lines = reportLines(r);
    expect(records).toHaveLength(lines.length);
    records.forEach((rec, i) => {
      const l = lines[i]!;
      expect(rec.slice(0, 3)).toEqual([l.section, l.part, l.measure]);
      if (typeof l.value === 'string') expect(rec.slice(3)).toEqual([l.value, '']);
      else if (l.value.suppressed) expect(rec.slice(3)).toEqual(['', SUPPRESSED_NOTE]);
      else if (l.value.value === null) expect(rec.slice(3)).toEqual(['', NO_DATA_NOTE]);
      else expect(Number(rec[3])).toBe(l.value.value);
    });
    // A label with a comma was quoted and came back whole.
    expect(csv).toContain('"stabiele veiligheid (criteria, na Herstel)"');
  });

  test('totals in the CSV equal the report, and the levels and causes add up to them', () => {
    const r = report();
    const records = parseCsv(impactCsv(r)).slice(1);
    const find = (section: string, part: string, measure: string) => {
      const rec = records.find((x) => x[0] === section && x[1] === part && x[2] === measure);
      if (!rec) throw new Error(`no record ${section}/${part}/${measure}`);
      if (rec[3] === '') return rec[4];
      return Number.isNaN(Number(rec[3])) ? rec[3] : Number(rec[3]);
    };
    expect(find('escalaties', 'totaal', 'aantal')).toBe(v(r.escalations.total));
    expect(find('escalaties', 'totaal', 'aantal')).toBe(18);
    const levels = ['1', '2', '3'].map((l) => find('escalaties', `niveau ${l}`, 'aantal') as number);
    expect(levels).toEqual([7, 5, 6]);
    expect(levels.reduce((a, b) => a + b)).toBe(18);
    const causes = ['R-24', 'R-32', 'R-62'].map((c) => find('escalaties', c, 'aantal') as number);
    expect(causes.reduce((a, b) => a + b)).toBe(18);
    expect(find('duur per fase', 'Fase Veiligheid', 'aantal')).toBe(6);
    expect(find('duur per fase', 'Fase Veiligheid', 'mediaan (dagen)')).toBe(v(r.phaseDays.veiligheid.median));
    expect(find('duur per fase', 'Fase Herstel', 'aantal')).toBe(5);
    expect(find('duur per fase', 'Fase Herstel', 'mediaan (dagen)')).toBe(30);
    expect(find('afsluiting', '', 'afgesloten')).toBe(5);
    expect(find('netwerk bij afsluiting (R-51)', 'actieve niet-professionele betrokkenen', 'aantal')).toBe(5);
    expect(find('netwerk bij afsluiting (R-51)', '', 'aandeel met minimaal 3')).toBe(1);
    expect(find('overdrachten (R-24)', '', 'nog open aan het eind')).toBe(SUPPRESSED_NOTE);
    expect(find('periode', '', 'organisatie')).toBe('alle organisaties');
  });
});
