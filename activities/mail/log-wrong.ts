/** The mail of a "misgegaan" entry in the safety log (issue 21, R-16, R-20): to the casusregisseur, the same working day. */
export const LOG_WRONG_TEMPLATE = {
  title: 'Veiligheidsafspraak misgegaan',
  explain:
    'In het veiligheidslogboek van dit huishouden staat dat een afspraak uit het veiligheidsplan is misgegaan (R-16). Wat er gebeurde staat in het logboek; deze e-mail noemt alleen de afspraak en de datum.',
  todo: [
    'lees de logboekregel in het dashboard en neem vandaag contact op met het huishouden en wie de afspraak controleert.',
    'bespreek met huishouden en netwerk wat er nodig is en leg zo nodig een nieuwe versie van het veiligheidsplan vast (R-15).',
  ],
};
