/**
 * The evidence checklist of the Routekaart (docs/ROUTEKAART.md): per item, the R-rule it proves
 * and whether it is recorded per child (or protected person); and the vocabulary of an R-60
 * controle visit. The recorded evidence itself is part of the household's state (./model); the
 * schemas callers are held to are in ./schemas/evidence-items.
 */
/** What an evidence item proves; `perMember`: recorded per child (or protected person), each must be covered. */
export interface EvidenceSpec {
  rule: string;
  label: string;
  perMember?: 'protected' | 'children';
  /** Section 4: recorded in every phase and reminded (domain/deadlines.ts), never an exit criterion. */
  throughout?: true;
}

/** Checklist evidence per R-rule; what each item proves is in EVIDENCE_ITEMS. */
export const EVIDENCE_ITEMS = {
  genogram: { rule: 'R-10', label: 'Genogram (drie generaties)' },
  netwerkkaart: { rule: 'R-11', label: 'Netwerk in kaart (veilige cirkels)' },
  drie_kolommen_analyse: { rule: 'R-12', label: 'Analyse in drie kolommen met veiligheidsschaal' },
  kindgesprek: { rule: 'R-13', label: 'Gesprek met kind of kwetsbare volwassene', perMember: 'protected' },
  randvoorwaarden: { rule: 'R-14', label: 'Randvoorwaarden (financiën, wonen, medisch) helder' },
  direct_veiligheidsplan: { rule: 'R-15', label: 'Direct veiligheidsplan' },
  veiligheidslogboek: { rule: 'R-16', label: 'Veiligheidslogboek ingericht' },
  veilig_voorwerp: { rule: 'R-16', label: 'Veilig voorwerp voor het kind', perMember: 'children' },
  direct_plan_uitgevoerd: { rule: 'R-18', label: 'Direct plan uitgevoerd en gemonitord' },
  geen_nieuw_geweld: { rule: 'R-19', label: 'Netwerk bevestigt: geen nieuw geweld' },
  logboek_observaties: { rule: 'R-20', label: 'Afspraken uitgevoerd, observaties in het logboek' },
  rollen_bekend: { rule: 'R-21', label: 'Huishouden en netwerk kennen de rollen' },
  vt_monitoring_afgesproken: { rule: 'R-22', label: 'Afgesproken hoe Veilig Thuis monitort' },
  overeenstemming_professionals: { rule: 'R-23', label: 'Professionals eens over gevaar, doel en schaal' },
  analyse_herzien_giz: { rule: 'R-30', label: 'Analyse herzien met GIZ en stem van het kind' },
  genogram_tijdlijn: { rule: 'R-33', label: 'Genogram uitgebreid, netwerk breder, tijdlijn' },
  veerkracht_kalender: { rule: 'R-33', label: 'Veerkracht kalender ingevuld' },
  traject: { rule: 'R-34', label: 'Traject beschreven en gedeeld' },
  stabiel_veiligheidsplan: { rule: 'R-35', label: 'Stabiel veiligheidsplan' },
  netwerkberaad: { rule: 'R-36', label: 'Netwerkberaad gehouden' },
  woord_en_beeld: { rule: 'R-37', label: 'Woord en Beeld (uitleg en veiligheidsplan)', perMember: 'children' },
  stresstest: { rule: 'R-38', label: 'Stresstest geslaagd' },
  herstelbehoeften_bekend: { rule: 'R-42', label: 'Huishouden en netwerk weten wat nodig is voor herstel' },
  afspraken_herstelfase: { rule: 'R-43', label: 'Afspraken over betrokkenheid tijdens herstel' },
  herstelplan: { rule: 'R-44', label: 'Herstelplan besproken met huishouden en netwerk' },
  herstelbehandelaar_geinformeerd: { rule: 'R-45', label: 'Herstelbehandelaar kent het veiligheidsplan en de signalen' },
  behandeldoelen_bereikt: { rule: 'R-47', label: 'Behandeldoelen bereikt, het gaat beter' },
  herstelplan_afgerond: { rule: 'R-47', label: 'Herstelplan afgerond' },
  professionaloverleg: { rule: 'R-48', label: 'Overleg professionals voor afsluiting, bereikbaarheid afgesproken' },
  evaluatie_netwerkvoorzitter: { rule: 'R-49', label: 'Rol netwerkvoorzitter geëvalueerd' },
  controle: { rule: 'R-60', label: 'Controle van de veiligheidsafspraken (bezoek)', throughout: true },
  teamoverleg: { rule: 'R-63', label: 'Huishouden besproken in team of met andere organisaties', throughout: true },
} as const satisfies Record<string, EvidenceSpec>;
export type EvidenceItem = keyof typeof EVIDENCE_ITEMS;

/**
 * Issue 21: what the safety plan and its log now show (R-15, R-20, R-35, R-44, with the GI's approval
 * of a version for R-65). The pages offer the plan for these, not a tick; imports and intake systems
 * may still bring them as dated evidence, which the criteria count as before.
 */
export const PLAN_FACTS: readonly EvidenceItem[] = [
  'direct_veiligheidsplan',
  'logboek_observaties',
  'stabiel_veiligheidsplan',
  'herstelplan',
];

/** a controle visit was announced beforehand (gepland) or not (onaangekondigd). */
export const VISIT_KINDS = ['gepland', 'onaangekondigd'] as const;
/** who checked; the method prefers the social network. */
export const VISIT_BY = ['netwerk', 'professional'] as const;

/** how a controle visit was made; recorded with every `controle` and with no other item. */
export interface ControleVisit {
  kind: (typeof VISIT_KINDS)[number];
  by: (typeof VISIT_BY)[number];
}
