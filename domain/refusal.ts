/** A command the method refuses: the rule that forbids it and why, in Dutch. */
import type { Unmet } from './criteria';

export class MethodRefusal extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly unmet: Unmet[] = [],
    /** The command's field it is about (a date in the future), so a form can show it there. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MethodRefusal';
  }
}
