import { HttpProblem } from '../http/problem';
import { parseConsistencyToken, waitForAppliedVersion, WaitGate } from './consistency-token';

describe('parseConsistencyToken', () => {
  it('reads "<id>@<version>" and refuses anything else with a 400', () => {
    expect(parseConsistencyToken(' p-1@12 ')).toEqual({ aggregateId: 'p-1', version: 12 });
    for (const bad of ['p-1', 'p-1@0', 'p-1@x', '@3', 'p 1@3', 'p-1@12345678901']) {
      expect(() => parseConsistencyToken(bad)).toThrow(HttpProblem);
    }
  });
});

describe('waitForAppliedVersion', () => {
  const never = async () => 1;

  it('answers at once when the version is applied, with one read and no place at the gate', async () => {
    const gate = new WaitGate(0);
    let reads = 0;
    let refreshed = false;
    await waitForAppliedVersion(
      'p@3',
      async () => ((reads += 1), 3),
      1_000,
      async () => void (refreshed = true),
      'r',
      gate,
    );
    expect({ reads, refreshed }).toEqual({ reads: 1, refreshed: true });
  });

  it('waits until the version arrives', async () => {
    let version = 1;
    setTimeout(() => (version = 2), 50);
    await expect(
      waitForAppliedVersion('p@2', async () => version, 2_000, undefined, 'r', new WaitGate(1)),
    ).resolves.toBeUndefined();
  });

  it('gives up with a 503 and Retry-After past the timeout', async () => {
    const refused = await waitForAppliedVersion(
      'p@9',
      never,
      50,
      undefined,
      'the index',
      new WaitGate(1),
    ).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
    expect((refused as HttpProblem).detail).toMatch(/the index has not applied version 9 of p within 50 ms/);
  });

  it('turns away a wait beyond the gate at once, and admits one again when a place frees', async () => {
    const gate = new WaitGate(2);
    let waitsEnded = false;
    const waits = Promise.all(
      [1, 2].map(() =>
        waitForAppliedVersion('p@9', never, 300, undefined, 'r', gate).catch(() => 'timed out'),
      ),
    ).finally(() => (waitsEnded = true));
    const turnedAway = await waitForAppliedVersion('p@9', never, 300, undefined, 'r', gate).catch(
      (error: unknown) => error,
    );
    // Refused while both waits still held their places.
    expect(waitsEnded).toBe(false);
    expect(turnedAway).toMatchObject({
      status: 503,
      detail: 'r has 2 requests waiting already; retry shortly',
    });
    await expect(waits).resolves.toEqual(['timed out', 'timed out']);
    let version = 1;
    setTimeout(() => (version = 9), 20);
    await expect(
      waitForAppliedVersion('p@9', async () => version, 1_000, undefined, 'r', gate),
    ).resolves.toBeUndefined();
  });
});
