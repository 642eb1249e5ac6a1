import type { FaultHooks } from '../../src/kinds/virtual-account/va-deps';

export type Step = 'afterRecord' | 'afterEnqueue' | 'afterComplete';

/** Fault hooks that crash once at the step set in `plan.crashAt` (then clear it): a process dying between two steps. */
export function crashPlan(): { plan: { crashAt?: Step }; faults: FaultHooks } {
  const plan: { crashAt?: Step } = {};
  const step = (s: Step): void => {
    if (plan.crashAt === s) {
      plan.crashAt = undefined;
      throw new Error(`injected crash ${s}`);
    }
  };
  return { plan, faults: { afterRecord: () => step('afterRecord'), afterEnqueue: () => step('afterEnqueue'), afterComplete: () => step('afterComplete') } };
}
