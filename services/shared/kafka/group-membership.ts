import type { Consumer } from 'kafkajs';

type MembershipState =
  | { kind: 'not-started' }
  | { kind: 'joining' }
  | { kind: 'member'; memberId: string; partitions: number }
  | { kind: 'rebalancing'; partitions: number }
  | { kind: 'crashed'; error: string; restarting: boolean }
  | { kind: 'stopped' };

/** What /health shows of one consumer's place in its group. */
export interface MembershipView {
  groupId: string;
  state: MembershipState['kind'];
  partitions?: number;
  error?: string;
}

/**
 * Follows a kafkajs consumer's group membership through its instrumentation events, so
 * readiness can say whether this process is really consuming: a consumer whose broker is
 * gone crashes and rejoins, and is not ready meanwhile.
 */
export class GroupMembership {
  private state: MembershipState = { kind: 'not-started' };

  constructor(readonly groupId: string) {}

  /**
   * Starts following `consumer`. `onFatal` is called when kafkajs gives up on it (a crash
   * it will not restart from): the process cannot recover by itself and should exit.
   */
  watch(consumer: Consumer, onFatal?: (error: Error) => void): void {
    const { events } = consumer;
    this.state = { kind: 'joining' };
    consumer.on(events.GROUP_JOIN, ({ payload }) => {
      const partitions = Object.values(payload.memberAssignment).reduce((n, list) => n + list.length, 0);
      this.state = { kind: 'member', memberId: payload.memberId, partitions };
    });
    consumer.on(events.REBALANCING, () => {
      const partitions = this.state.kind === 'member' ? this.state.partitions : 0;
      this.state = { kind: 'rebalancing', partitions };
    });
    consumer.on(events.CRASH, ({ payload }) => {
      this.state = { kind: 'crashed', error: payload.error.message, restarting: payload.restart };
      if (!payload.restart) onFatal?.(payload.error);
    });
    consumer.on(events.CONNECT, () => {
      if (this.state.kind === 'crashed') this.state = { kind: 'joining' };
    });
    consumer.on(events.STOP, () => {
      this.state = { kind: 'stopped' };
    });
  }

  /** Partitions this member owns now (0 while joining, crashed or stopped). */
  get partitions(): number {
    return this.state.kind === 'member' || this.state.kind === 'rebalancing' ? this.state.partitions : 0;
  }

  /** Why this consumer is not consuming, or undefined while it is a member (a rebalance is part of membership). */
  get notReadyReason(): string | undefined {
    switch (this.state.kind) {
      case 'member':
      case 'rebalancing':
        return undefined;
      case 'not-started':
        return `consumer of group ${this.groupId} not started`;
      case 'joining':
        return `joining group ${this.groupId}`;
      case 'crashed':
        return `consumer of group ${this.groupId} crashed (${this.state.error})${this.state.restarting ? '; restarting' : ''}`;
      case 'stopped':
        return `consumer of group ${this.groupId} stopped`;
    }
  }

  view(): MembershipView {
    return {
      groupId: this.groupId,
      state: this.state.kind,
      ...(this.state.kind === 'member' || this.state.kind === 'rebalancing'
        ? { partitions: this.state.partitions }
        : {}),
      ...(this.state.kind === 'crashed' ? { error: this.state.error } : {}),
    };
  }
}
