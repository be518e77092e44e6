import type { ComponentContext } from '../components/context.js';

/**
 * The context SDK processors build their components with: no state directory or dead-letter
 * files of their own (a dead-letter sink is passed in by the user), diagnostics to nowhere.
 */
export function sdkContext(): ComponentContext {
  return {
    stateDirectory: '.',
    log: () => undefined,
    deadLetterFile: () => {
      throw new TypeError('SDK processors take their dead-letter sink as an option');
    },
  };
}
