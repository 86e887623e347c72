/** The follow-up request after closure (issue 22): to the casusregisseur at closure, who passes the two links on. */
import { formatDutch } from '../../domain/time';
import { p, renderBlocks, todo, type Block } from './blocks';

export interface FollowUpMailInput {
  householdId: string;
  months: number;
  name: string;
  links: { huishouden: string; netwerk: string };
  validUntil: string;
  dangers: number;
}

export function renderFollowUpRequest(m: FollowUpMailInput) {
  const subject = `Nameting ${m.months} maanden na afsluiting: huishouden ${m.householdId}`;
  const blocks: Block[] = [
    p(`Beste ${m.name},`),
    p(
      `Het traject van huishouden ${m.householdId} is ${m.months} maanden geleden afgesloten. Met toestemming van het gezin vraagt Routekaart nu één score per gevaar (${m.dangers}), van 0 tot en met 10, met een korte toelichting: hoe veilig is het nu?`,
    ),
    todo([
      'stuur de eerste link door aan het huishouden en de tweede aan het netwerk (bijvoorbeeld de veiligheidspersoon).',
      'elke link werkt één keer en zonder inloggen; hij opent alleen dit ene formulier. Het traject zelf blijft afgesloten.',
    ]),
    { kind: 'button', label: 'Link voor het huishouden', href: m.links.huishouden },
    { kind: 'button', label: 'Link voor het netwerk', href: m.links.netwerk },
    { kind: 'small', text: `De links zijn geldig tot ${formatDutch(m.validUntil)}.` },
    { kind: 'rule' },
    { kind: 'small', text: 'Dit bericht bevat alleen het huishoudnummer, geen namen. Het is automatisch verstuurd.' },
  ];
  return { subject, ...renderBlocks(subject, 'Nameting na afsluiting', '#1f2933', blocks) };
}
