import { listing } from './property-harness';
import { messageOf } from '../../services/shared/errors/message-of';

/** One command the load sent and what became of it. */
export interface CommandOutcome {
  at: number;
  status: number;
  /** Set when the command was accepted: the aggregate and the version it produced. */
  accepted?: { id: string; version: number };
  retryAfter?: string | null;
  error?: string;
}

/** What a steady load saw while a fault happened. */
export interface LoadReport {
  outcomes: CommandOutcome[];
  accepted: Array<{ id: string; version: number }>;
  /** Status (or "network") → count. */
  byStatus: Record<string, number>;
  properties: string[];
}

/** Loads that were started and not stopped yet: a failed test must not leave one running. */
const running = new Set<CommandLoad>();

/** Stops every load still running (an afterAll of each file that starts loads). */
export async function stopEveryLoad(): Promise<void> {
  await Promise.all([...running].map((load) => load.stop()));
}

/**
 * A steady stream of property commands (a listing now and then, price changes otherwise)
 * at about `perSecond`, recording every answer. Each accepted command names the version
 * it produced, so a test can later demand that every one of them reached Kafka and the
 * read models. Refusals are recorded, never retried: the test judges them.
 */
export class CommandLoad {
  private readonly outcomes: CommandOutcome[] = [];
  private readonly properties: string[] = [];
  /** Properties with a command in flight: one command per property at a time, as a real client would. */
  private readonly busy = new Set<string>();
  private running = false;
  private loop: Promise<void> | undefined;
  private sent = 0;

  constructor(
    private readonly propertyUrl: string,
    private readonly perSecond = 20,
    private readonly headers: () => Promise<Record<string, string>> = async () => ({}),
  ) {}

  start(): void {
    running.add(this);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<LoadReport> {
    running.delete(this);
    this.running = false;
    await this.loop;
    const byStatus: Record<string, number> = {};
    for (const o of this.outcomes) {
      const key = o.error ? 'network' : String(o.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    return {
      outcomes: this.outcomes,
      accepted: this.outcomes.flatMap((o) => (o.accepted ? [o.accepted] : [])),
      byStatus,
      properties: [...this.properties],
    };
  }

  /** Accepted commands so far (to wait for the first success after an outage). */
  acceptedSince(at: number): CommandOutcome[] {
    return this.outcomes.filter((o) => o.accepted && o.at >= at);
  }

  private async run(): Promise<void> {
    const interval = 1_000 / this.perSecond;
    const inFlight = new Set<Promise<void>>();
    let next = Date.now();
    while (this.running) {
      const command = this.one();
      inFlight.add(command);
      void command.finally(() => inFlight.delete(command));
      next += interval;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      else next = Date.now();
    }
    await Promise.all(inFlight);
  }

  private async one(): Promise<void> {
    this.sent += 1;
    const target = this.properties.length < 5 || this.sent % 10 === 0 ? undefined : this.pick();
    if (target) this.busy.add(target);
    const path = target ? `/properties/${target}/price` : '/properties';
    const body = target
      ? { price: { amount: 400_000 + (this.sent % 1_000) * 100, currency: 'EUR' } }
      : listing({ address: { ...listing().address, street: `Loadstraat ${this.sent}` } });
    const at = Date.now();
    try {
      const response = await fetch(`${this.propertyUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(await this.headers()) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const answer = (await response.json()) as { id?: string; version?: number };
      const outcome: CommandOutcome = {
        at,
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
      };
      if (response.status < 300 && answer.id && answer.version) {
        outcome.accepted = { id: answer.id, version: answer.version };
        if (!target) this.properties.push(answer.id);
      }
      this.outcomes.push(outcome);
    } catch (error) {
      this.outcomes.push({ at, status: 0, error: messageOf(error) });
    } finally {
      if (target) this.busy.delete(target);
    }
  }

  /** A property with no command in flight (or none, and a new listing is made instead). */
  private pick(): string | undefined {
    const idle = this.properties.filter((p) => !this.busy.has(p));
    return idle[Math.floor(Math.random() * idle.length)];
  }
}
