/**
 * Properties over many instants (fast-check): every mail the plan sends goes out inside working
 * hours on a working day, and for a huisverbod the coordinator hears before it ends,
 * whatever hour the order took effect and however it was extended.
 */
import fc from 'fast-check';
import { isWorkingDay, nextWorkingMoment } from '../../domain/calendar';
import { duePlan, mayMail } from '../../domain/deadlines';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { amsterdamDay } from '../../domain/time';
import { apply, household, PLANNER, REGISSEUR, VT } from '../support/state';

const HOUR = 3_600_000;
const FROM = Date.parse('2026-01-01T00:00:00Z');
const UNTIL = Date.parse('2028-12-31T00:00:00Z');
const instant = fc.integer({ min: FROM / 60_000, max: UNTIL / 60_000 }).map((m) => new Date(m * 60_000));

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
const localTime = (d: Date) => clock.format(d);
function insideWorkingHours(at: string): boolean {
  const hour = Number(localTime(new Date(at)).slice(0, 2));
  return isWorkingDay(amsterdamDay(new Date(at))) && hour >= 9 && hour < 17;
}

/** Follows the plan from `from` until the huisverbod's level-3 mail may go out; its moment. */
function coordinatorHearsAt(s: HouseholdState, from: Date): string | undefined {
  let t = from;
  for (let i = 0; i < 50; i++) {
    const plan = duePlan(s, t, DEFAULT_POLICY);
    const l = plan.levels.find((x) => x.deadline.kind === 'huisverbod');
    if (l && l.level === 3 && mayMail(plan, l.deadline, t, DEFAULT_POLICY)) return t.toISOString();
    if (!plan.nextWakeAt) return undefined;
    t = new Date(plan.nextWakeAt);
  }
  return undefined;
}

test('R-25: at any hour of any day, with or without extension, the coordinator hears before the huisverbod ends', () => {
  fc.assert(
    fc.property(
      instant,
      fc.integer({ min: 0, max: 36 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 27 }),
      (registeredAt, lagHours, days, extra) => {
        const started = new Date(registeredAt.getTime() - lagHours * HOUR);
        const startDate = amsterdamDay(started);
        const at = registeredAt.toISOString();
        let s = household(new Date(started.getTime() - 1000).toISOString(), { owner: VT });
        s = apply(s, at, 'registerHuisverbod', VT, { startDate, startTime: localTime(started), days, guidedBy: VT });
        if (extra > 0 && days + extra <= 28) {
          const endDate = s.huisverbod!.endDate;
          const extended = new Date(Date.parse(`${endDate}T12:00:00Z`) + extra * 24 * HOUR).toISOString().slice(0, 10);
          s = apply(s, at, 'extendHuisverbod', VT, { endDate: extended });
        }
        const end = s.huisverbod!.endAt;
        if (end <= at) return; // already over when registered: nothing to warn before
        const plan = duePlan(s, registeredAt, DEFAULT_POLICY);
        const ladder = plan.deadlines.find((d) => d.kind === 'huisverbod')!.ladder!;
        // Each level its own moment (its own mail), in order.
        expect(ladder[0] < ladder[1] && ladder[1] < ladder[2]).toBe(true);
        for (const level of ladder) {
          expect(level < end).toBe(true);
          expect(insideWorkingHours(level)).toBe(true);
        }
        const heard = coordinatorHearsAt(s, registeredAt);
        expect(heard).toBeDefined();
        expect(heard! < end).toBe(true);
        // Inside working hours, unless no working moment was left before the end: then at once.
        expect(insideWorkingHours(heard!) || (heard === at && nextWorkingMoment(at, DEFAULT_POLICY.workingHours) >= end)).toBe(true);
      },
    ),
    { numRuns: 400 },
  );
});

test('every reminder, escalation and repeat the plan sends goes out inside working hours on a working day', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 0, max: 90 * 24 }), (start, hoursLater) => {
      const t0 = start.toISOString();
      let s = household(t0, { owner: VT, casusregisseur: REGISSEUR });
      s = apply(s, t0, 'startHandover', REGISSEUR, { role: 'casusregisseur', to: PLANNER, reason: 'expertise' });
      const now = new Date(start.getTime() + hoursLater * HOUR);
      const plan = duePlan(s, now, DEFAULT_POLICY);
      const sent = [
        ...plan.dueReminders.map((r) => r.at),
        ...plan.dueRepeats.map((r) => r.at),
        ...plan.deadlines.flatMap((d) => d.ladder ?? []),
      ];
      for (const at of sent) expect(insideWorkingHours(at)).toBe(true);
      // Outside working hours nothing is mailed now; the plan wakes when the office opens.
      if (!insideWorkingHours(now.toISOString())) expect(plan.mailNow).toBe(false);
    }),
    { numRuns: 300 },
  );
});

test('R-02: reminders about a missing owner do not go out on Saturday, Sunday or a public holiday', () => {
  // Reported on the Friday before Easter (Goede Vrijdag is a working day; Easter Monday is not).
  const s = household('2026-04-03T10:00:00.000Z');
  const days = new Set<string>();
  for (let h = 0; h < 14 * 24; h++) {
    const plan = duePlan(s, new Date(Date.parse('2026-04-03T10:00:00.000Z') + h * HOUR), DEFAULT_POLICY);
    for (const r of plan.dueReminders) days.add(amsterdamDay(new Date(r.at)));
  }
  // Two working days after Friday 3 April: Tuesday 7 and Wednesday 8 April (Monday 6 April is Tweede Paasdag).
  expect([...days].sort()[0]).toBe('2026-04-08');
  for (const d of days) expect(isWorkingDay(d)).toBe(true);
});
