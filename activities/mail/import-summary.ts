/** The mail of a calm import (issue 22): one summary of what an imported case still lacks, no escalation. */
export const IMPORT_SUMMARY_TEMPLATE = {
  title: 'Geïmporteerd — in controle: dit ontbreekt nog',
  explain:
    'Dit lopende traject is in Routekaart overgenomen uit een ander systeem (R-01). Tijdens de controleperiode escaleert Routekaart niets: hieronder staat in één overzicht wat volgens de methode nog ontbreekt, elk met de regel erbij. Wat te laat was vóór de import telt pas vanaf het einde van de controleperiode mee.',
  todo: [
    'controleer de overgenomen gegevens in het dashboard en vul aan wat ontbreekt; de punten staan ook onder "mijn taken".',
    'bevestig de import in Routekaart als alles klopt; vanaf dan bewaakt Routekaart de termijnen zoals bij elk traject.',
  ],
};
