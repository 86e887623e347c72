/** The comparison of two plan versions (issue 21): every added, removed and changed part, with its rule. */
import { comparePlanVersions } from '../../domain/plan-document';
import type { PlanVersionInput } from '../../domain/safety-plan';

const agreement = (id: string, what: string, when: string, by = 'n-oma') => ({
  id,
  what,
  who: ['ouder-1'],
  when,
  monitoring: { by, everyDays: 7, informs: ['n-oma'] },
});

const v1: PlanVersionInput = {
  kind: 'direct',
  dangers: [
    {
      dangerId: 'd-1',
      agreements: [agreement('a1', 'Oma belt', 'elke avond om 20:00'), agreement('a2', 'Vader slaapt bij broer', 'bij ruzie')],
      whenItGoesWrong: 'Moeder gaat met de kinderen naar oma.',
    },
  ],
  children: [
    { member: 'kind-1', safetyPerson: 'n-oma', safeObject: 'de blauwe knuffel', woordEnBeeld: 'Als papa boos wordt, bel je oma.' },
  ],
  network: [{ memberId: 'n-oma', role: 'veiligheidspersoon' }],
};

test('two equal versions have no differences', () => {
  expect(comparePlanVersions(v1, structuredClone(v1))).toEqual([]);
});

test('an agreement changed, one removed, one added, a child and the owner changed: each once, with its rule', () => {
  const v2: PlanVersionInput = {
    ...structuredClone(v1),
    dangers: [
      {
        dangerId: 'd-1',
        agreements: [agreement('a1', 'Oma belt', 'elke avond om 19:30', 'n-buur'), agreement('a3', 'Buurman komt langs', 'elke zaterdag')],
        whenItGoesWrong: 'Moeder gaat met de kinderen naar oma.',
      },
    ],
    children: [{ member: 'kind-1', safetyPerson: 'n-oma', safeObject: 'de rode trui', woordEnBeeld: 'Als papa boos wordt, bel je oma.' }],
    owner: 'n-oma',
  };
  const changes = comparePlanVersions(v1, v2);
  expect(changes).toEqual([
    { kind: 'vervallen', subject: 'Afspraak a2', before: 'Vader slaapt bij broer (bij ruzie)', rule: 'R-15' },
    {
      kind: 'gewijzigd',
      subject: 'Afspraak a1',
      field: 'Wanneer',
      before: 'elke avond om 20:00',
      after: 'elke avond om 19:30',
      rule: 'R-15',
    },
    { kind: 'gewijzigd', subject: 'Afspraak a1', field: 'Wie controleert', before: 'n-oma', after: 'n-buur', rule: 'R-15' },
    { kind: 'toegevoegd', subject: 'Afspraak a3', after: 'Buurman komt langs (elke zaterdag)', rule: 'R-15' },
    {
      kind: 'gewijzigd',
      subject: 'Kind kind-1',
      field: 'Veilig voorwerp',
      before: 'de blauwe knuffel',
      after: 'de rode trui',
      rule: 'R-16',
    },
    { kind: 'gewijzigd', subject: 'Plan', field: 'Eigenaar van het plan', before: undefined, after: 'n-oma', rule: 'R-41' },
  ]);
});

test('what to do when it threatens to go wrong, and a network role, count as changes too', () => {
  const v2 = structuredClone(v1);
  v2.dangers[0]!.whenItGoesWrong = 'Moeder belt 112.';
  v2.network = [];
  const changes = comparePlanVersions(v1, v2);
  expect(changes.map((c) => [c.kind, c.subject, c.field])).toEqual([
    ['gewijzigd', 'Gevaar d-1', 'Als het dreigt mis te gaan'],
    ['vervallen', 'Netwerklid n-oma', undefined],
  ]);
});
