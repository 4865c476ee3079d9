/**
 * Set by the jest global setup when the native stack could not be started or provisioned:
 * the one line saying why.
 */
export const stackUnavailableVariable = 'DEEDSTREAM_STACK_UNAVAILABLE';

/**
 * Fails a test file at once, before it starts anything, when the stack it needs is
 * unavailable. A setup file of the int and e2e tiers (jest.config.js); the unit tier never
 * needs the stack.
 */
export function requireStack(): void {
  const problem = process.env[stackUnavailableVariable];
  if (problem) throw new Error(`the native stack is unavailable: ${problem}`);
}
