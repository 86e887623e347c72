import { DEFAULT_POLICY, withPolicyDefaults } from '../../domain/policy';
import { Policy } from '../../domain/schemas/policy';

test('a stored policy merged with defaults equals the parsed one, nested fields included', () => {
  const stored = { ...Policy.parse({ controleEveryDays: 21 }) } as Partial<Policy>;
  delete stored.mailAttemptSeconds;
  stored.workingHours = { from: 8, until: 18 } as Policy['workingHours'];
  expect(withPolicyDefaults(stored)).toEqual(Policy.parse(stored));
  expect(withPolicyDefaults({})).toEqual(DEFAULT_POLICY);
});
