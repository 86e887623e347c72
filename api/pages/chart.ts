/**
 * The score chart of one danger, rendered on the server as SVG: per month the lowest score of
 * each group (huishouden, netwerk, professionals), the lines at 6 (R-39) and 7 (R-46), and the
 * months that make the current run shaded. Everything it draws comes from domain/view.ts
 * dangerScores; the chart only places it. A table with the same figures follows for screen readers.
 */
import { LATE_LABEL } from '../../domain/late-data';
import { SCORE_GROUPS, type ScoreGroup } from '../../domain/model';
import { METHOD } from '../../domain/policy';
import { count } from '../../domain/time';
import type { DangerScores } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import { SCORE_GROUP_LABEL } from './vocabulary';

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 36, right: 40, top: 16, bottom: 40 };

/** Colour plus a dash pattern and a marker shape per group: colour never carries meaning alone. */
const STYLE: Record<ScoreGroup, { colour: string; dash: string; marker: 'circle' | 'square' | 'diamond' }> = {
  huishouden: { colour: '#0f4c5c', dash: '', marker: 'circle' },
  netwerk: { colour: '#8a3b00', dash: '6 4', marker: 'square' },
  professionals: { colour: '#5b3a8c', dash: '2 3', marker: 'diamond' },
};

function marker(shape: 'circle' | 'square' | 'diamond', x: number, y: number, group: ScoreGroup, title: string): SafeHtml {
  const c = STYLE[group].colour;
  const t = html`<title>${title}</title>`;
  if (shape === 'circle') return html`<circle class="point" data-group="${group}" cx="${x}" cy="${y}" r="4" fill="${c}">${t}</circle>`;
  if (shape === 'square')
    return html`<rect class="point" data-group="${group}" x="${x - 4}" y="${y - 4}" width="8" height="8" fill="${c}">${t}</rect>`;
  return html`<path class="point" data-group="${group}" d="M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z" fill="${c}">${t}</path>`;
}

export function scoreChart(d: DangerScores): SafeHtml {
  const n = d.months.length;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = n > 1 ? plotW / (n - 1) : 0;
  const x = (i: number) => Math.round(PAD.left + (n > 1 ? i * step : plotW / 2));
  const y = (v: number) => Math.round(PAD.top + plotH - (v / 10) * plotH);
  const id = `grafiek-${d.dangerId}`;
  const runMonths = d.months.map((m, i) => ({ m, i })).filter(({ m }) => m.inRun);
  const band =
    runMonths.length > 0
      ? html`<rect class="run" x="${x(runMonths[0]!.i) - Math.max(step / 2, 8)}" y="${PAD.top}" width="${x(runMonths.at(-1)!.i) - x(runMonths[0]!.i) + Math.max(step, 16)}" height="${plotH}" fill="#e3f2e8"><title>Huidige reeks: ${count(runMonths.length, 'maand', 'maanden')}</title></rect>`
      : '';
  const threshold = (v: number, label: string) =>
    html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="${v === d.threshold ? '#9b1c1c' : '#6b7483'}" stroke-width="${v === d.threshold ? 2 : 1}" stroke-dasharray="4 3"/><text x="${WIDTH - PAD.right}" y="${y(v) - 4}" text-anchor="end" font-size="11" fill="#3d4756">${label}</text>`;
  const lines = SCORE_GROUPS.map((g) => {
    const pts = d.months.map((m, i) => (m.values[g] === null ? null : { i, v: m.values[g]!, label: m.label, late: m.late.includes(g) }));
    // A month without a score breaks the line: the gap is visible, not bridged.
    const segments: string[] = [];
    let current: string[] = [];
    for (const p of pts) {
      if (p) current.push(`${x(p.i)},${y(p.v)}`);
      else if (current.length) {
        segments.push(current.join(' '));
        current = [];
      }
    }
    if (current.length) segments.push(current.join(' '));
    const s = STYLE[g];
    return html`<g class="series" data-group="${g}">${segments.map(
      (points) =>
        html`<polyline points="${points}" fill="none" stroke="${s.colour}" stroke-width="2" stroke-dasharray="${s.dash || 'none'}"/>`,
    )}${pts.map((p) =>
      p
        ? html`${marker(s.marker, x(p.i), y(p.v), g, `${SCORE_GROUP_LABEL[g]}, ${p.label}: ${p.v}${p.late ? ` (${LATE_LABEL})` : ''}`)}${
            // Issue 22: a score entered after its month still counts, but is marked.
            p.late ? html`<text class="late" x="${x(p.i) + 6}" y="${y(p.v) - 6}" font-size="11" fill="#3d4756">*</text>` : ''
          }`
        : '',
    )}</g>`;
  });
  const ticks = [0, 2, 4, 6, 8, 10].map(
    (v) =>
      html`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#3d4756">${v}</text><line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eceff3"/>`,
  );
  const labelEvery = Math.max(1, Math.ceil(n / 9));
  const months = d.months.map((m, i) =>
    i % labelEvery === 0 || i === n - 1
      ? html`<text x="${x(i)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#3d4756">${m.label.replace(/ (\d{2})(\d{2})$/, ' ’$2')}</text>`
      : '',
  );
  const summary = `Gevaar ${d.dangerId}: scores per maand van ${d.months[0]?.label ?? '-'} tot ${d.months.at(-1)?.label ?? '-'}; huidige reeks ${d.run} van ${count(d.needed, 'maand', 'maanden')} op ${d.threshold} of hoger (${d.rule}).`;
  // On a phone the chart keeps a readable size and scrolls sideways, opened at the newest months.
  return html`<figure class="chart-figure">
<div class="chart-scroll" tabindex="0" role="region" aria-label="Grafiek gevaar ${d.dangerId}, schuift opzij op een smal scherm">
<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-titel ${id}-beschrijving" data-danger="${d.dangerId}">
<title id="${id}-titel">Scores gevaar ${d.dangerId}</title>
<desc id="${id}-beschrijving">${summary}</desc>
${ticks}${band}
${threshold(METHOD.safeScore, `${METHOD.safeScore}: veilig genoeg (R-39)`)}
${threshold(METHOD.stableScore, `${METHOD.stableScore}: stabiel veilig (R-46)`)}
${lines}${months}
</svg>
</div>
<figcaption class="chart-legend">${SCORE_GROUPS.map(
    (g) =>
      html`<span><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="${STYLE[g].colour}" stroke-width="2" stroke-dasharray="${STYLE[g].dash || 'none'}"/></svg> ${SCORE_GROUP_LABEL[g]}</span>`,
  )}<span><svg width="16" height="10" aria-hidden="true"><rect width="16" height="10" fill="#e3f2e8"/></svg> huidige reeks (${d.run}/${d.needed}, ${d.rule})</span></figcaption>
</figure>
<details class="more"><summary>Cijfers van gevaar ${d.dangerId} als tabel</summary>
<div class="table-wrap" tabindex="0" role="region" aria-label="Scores gevaar ${d.dangerId}"><table class="data compact"><caption class="visually-hidden">${summary}</caption>
<thead><tr><th scope="col">Maand</th>${SCORE_GROUPS.map((g) => html`<th scope="col" class="num">${SCORE_GROUP_LABEL[g]}</th>`)}<th scope="col">Telt mee</th></tr></thead>
<tbody>${d.months.map(
    (m) =>
      html`<tr><th scope="row">${m.label}</th>${SCORE_GROUPS.map((g) => html`<td class="num">${m.values[g] ?? '–'}${m.late.includes(g) ? html` <abbr title="${LATE_LABEL}">*</abbr>` : ''}</td>`)}<td>${m.inRun ? 'ja, in de reeks' : VERDICT[m.verdict]}</td></tr>`,
  )}</tbody></table></div></details>`;
}

const VERDICT: Record<DangerScores['months'][number]['verdict'], string> = {
  counts: 'ja',
  breaks: 'nee: een score onder de drempel, of niet alle drie groepen',
  open: 'deze maand nog niet compleet',
};
