/** A command the method refuses: the rule that forbids it and why, in Dutch. */
import type { Unmet } from './criteria';

export class MethodRefusal extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly unmet: Unmet[] = [],
  ) {
    super(message);
    this.name = 'MethodRefusal';
  }
}
