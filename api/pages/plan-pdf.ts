/**
 * The printable safety plan as a PDF (issue 21), made with pdfmake on request and never stored:
 * the same content as the plan's page (api/pages/plan-print.ts), from the same opened version.
 * Fonts come from pdfmake's own Roboto files; nothing is fetched from a URL.
 */
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { PlanDocument } from './plan-print';

const FONT_DIR = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
let ready = false;

function setUp(): void {
  if (ready) return;
  const font = (f: string) => path.join(FONT_DIR, f);
  pdfmake.addFonts({
    Roboto: {
      normal: font('Roboto-Regular.ttf'),
      bold: font('Roboto-Medium.ttf'),
      italics: font('Roboto-Italic.ttf'),
      bolditalics: font('Roboto-MediumItalic.ttf'),
    },
  });
  // Only pdfmake's own fonts from disk, nothing from the network.
  pdfmake.setLocalAccessPolicy((p) => path.resolve(p).startsWith(FONT_DIR));
  pdfmake.setUrlAccessPolicy(() => false);
  ready = true;
}

const line = (label: string, value: string): Content => ({ text: [{ text: `${label}: `, bold: true }, value], margin: [0, 1, 0, 1] });

/** The plan's document in pdfmake's terms: the sections of the page, in its order. */
function definition(d: PlanDocument): TDocumentDefinitions {
  const content: Content[] = [
    { text: d.title, style: 'h1' },
    { text: d.subtitle, style: 'muted' },
    { text: 'Gevaren, doelen en afspraken (R-15, R-31)', style: 'h2' },
  ];
  for (const danger of d.dangers) {
    content.push({ text: `Gevaar: ${danger.statement}`, style: 'h3' }, line('Veiligheidsdoel', danger.safetyGoal));
    for (const a of danger.agreements)
      content.push({
        stack: [
          { text: a.what, bold: true },
          line('Wie', a.who),
          line('Wanneer', a.when),
          line('Wie controleert', `${a.monitorBy}, elke ${a.everyDays} dagen`),
          line('Wie wordt ingelicht als het misgaat', a.informs),
        ],
        margin: [10, 4, 0, 4],
      });
    content.push(line('Als het dreigt mis te gaan', danger.whenItGoesWrong));
  }
  content.push({ text: 'Kinderen: veiligheidspersoon en veilig voorwerp (R-16, R-42)', style: 'h2' });
  if (d.children.length === 0) content.push({ text: 'Geen kinderen in dit plan.' });
  for (const c of d.children)
    content.push({
      stack: [
        { text: c.member, bold: true },
        line('Veiligheidspersoon', c.safetyPerson),
        line('Veilig voorwerp', c.safeObject || '–'),
        line('Woord en Beeld', c.woordEnBeeld || '–'),
      ],
      margin: [0, 2, 0, 4],
    });
  content.push({ text: 'Netwerk en rollen (R-41)', style: 'h2' });
  for (const n of d.network) content.push(line(n.memberId, n.role));
  if (d.owner) content.push(line('Eigenaar van het plan', d.owner));
  content.push(
    { text: 'Onderschreven en goedgekeurd (R-15, R-65)', style: 'h2' },
    line('Onderschreven', d.endorsement),
    line('Goedkeuring', d.approval),
  );
  return {
    info: { title: d.title },
    content,
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    styles: {
      h1: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] },
      h2: { fontSize: 13, bold: true, margin: [0, 12, 0, 4] },
      h3: { fontSize: 11, bold: true, margin: [0, 6, 0, 2] },
      muted: { color: '#555555' },
    },
  };
}

/** The PDF of a plan version, made in memory. */
export function planPdf(d: PlanDocument): Promise<Buffer> {
  setUp();
  return pdfmake.createPdf(definition(d)).getBuffer();
}
