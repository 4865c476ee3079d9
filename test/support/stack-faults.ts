import type { ComponentName } from '../../stack/component';
import { stopDaemon } from '../../stack/process';
import { componentByName, up } from '../../stack/stack';

/** Stops one stack component the way `down` would (its clean shutdown signal). */
export async function stopComponent(name: ComponentName): Promise<void> {
  const component = componentByName(name);
  await stopDaemon(component.name, component.stopSignal, 60_000);
}

/**
 * Starts whatever is not running and waits until every component is healthy again. A JVM
 * that starts slowly on a busy machine gets a second chance, so one fault test cannot
 * leave the stack down for the files after it.
 */
export async function startStack(): Promise<void> {
  try {
    await up({ quiet: true });
  } catch {
    await up({ quiet: true });
  }
}

/**
 * An outage of one component: stopped, kept down `holdMs`, started again. Returns when it
 * stopped and when it was healthy again (epoch ms), so a test can relate what its clients
 * saw to the outage.
 */
export async function outage(
  name: ComponentName,
  holdMs: number,
): Promise<{ downAt: number; backAt: number }> {
  await stopComponent(name);
  const downAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, holdMs)); // the outage itself
  await startStack();
  return { downAt, backAt: Date.now() };
}
