import { randomUUID } from 'node:crypto';
import { inOneTransactionOnce } from '../shared/messaging/inbox';
import { commandReplyOf } from '../shared/messaging/command-reply';
import type { IncomingMessage } from '../shared/messaging/incoming-message';
import type { MessageCodecs } from '../shared/messaging/message-codecs';
import type { Logger } from '../shared/observability/logger';
import { onDeadline, onReply, startPurchase, type SagaTiming, type Transition } from './domain/purchase-saga';
import type { PurchaseTerms } from './domain/purchase-steps';
import { lockSaga, writeTransition, type Db } from './saga-store';

export const replyConsumer = 'transaction.replies';

/**
 * Drives purchases: starts them, advances them on replies, and acts on overdue steps.
 * Every change to a saga commits in one transaction with the command it sends (outbox)
 * and, for replies, with the inbox claim, so a redelivered reply changes nothing.
 */
export class PurchaseOrchestrator {
  constructor(
    private readonly db: Db,
    private readonly codecs: MessageCodecs,
    private readonly timing: SagaTiming,
    private readonly logger: Logger,
  ) {}

  private readonly deadlineListeners: ((deadlineAt: Date) => void)[] = [];

  /** `listener` hears of every deadline a start or a reply sets, once it is committed. */
  onDeadlineSet(listener: (deadlineAt: Date) => void): void {
    this.deadlineListeners.push(listener);
  }

  private committed(transition: Transition | undefined): void {
    const deadlineAt = transition?.saga.deadlineAt;
    if (deadlineAt) for (const listener of this.deadlineListeners) listener(deadlineAt);
  }

  private clock() {
    return { now: new Date(), newId: randomUUID, timing: this.timing };
  }

  /**
   * Starts a purchase: the saga, its first command (outbox) and whatever `alsoWrite` adds
   * (the Idempotency-Key's response) commit in one transaction. A second live purchase of
   * the same offer violates a unique index and nothing is written.
   */
  async start<R>(terms: PurchaseTerms, alsoWrite: (trx: Db) => Promise<R>): Promise<R> {
    const transition = startPurchase(terms, this.clock());
    const result = await this.db.transaction().execute(async (trx) => {
      await writeTransition(trx, this.codecs, transition, true);
      return alsoWrite(trx);
    });
    this.committed(transition);
    return result;
  }

  async handleReply(message: IncomingMessage): Promise<void> {
    const answer = commandReplyOf(message);
    if (!answer) throw new Error(`${message.type} is not a command reply`);
    let applied: Transition | undefined;
    await inOneTransactionOnce(this.db, replyConsumer, message.messageId, async (trx) => {
      const saga = await lockSaga(trx, message.correlationId);
      if (!saga) {
        this.logger.warn({ correlationId: message.correlationId }, 'reply for an unknown purchase ignored');
        return;
      }
      const transition = onReply(
        saga,
        {
          messageId: message.messageId,
          causationId: message.causationId,
          command: answer.command,
          outcome: answer.outcome,
          rule: answer.rule,
          reason: answer.reason,
        },
        this.clock(),
      );
      if (!transition) {
        this.logger.info(
          { transactionId: saga.transactionId, command: answer.command, causationId: message.causationId },
          'reply to a command the purchase no longer waits for: ignored',
        );
        return;
      }
      await this.apply(trx, transition);
      applied = transition;
    });
    this.committed(applied);
  }

  /**
   * Acts on every saga whose awaited reply is overdue (up to `limit` of them); answers when
   * the next deadline falls due (now when more are overdue than one sweep takes, undefined
   * when nothing waits), so the sweeper sleeps until then.
   */
  async sweepDeadlines(limit = 50): Promise<Date | undefined> {
    // The domain decides with this process's clock (onDeadline), so the scan uses it too.
    const { now } = this.clock();
    return this.db.transaction().execute(async (trx) => {
      // SKIP LOCKED: several orchestrator processes can sweep without waiting on each other.
      const due = await trx
        .selectFrom('sagas')
        .select('transaction_id')
        .where('deadline_at', '<=', now)
        .orderBy('deadline_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const { transaction_id } of due) {
        const saga = await lockSaga(trx, transaction_id);
        const transition = saga && onDeadline(saga, this.clock());
        if (transition) await this.apply(trx, transition);
      }
      if (due.length === limit) return now;
      const next = await trx
        .selectFrom('sagas')
        .select((eb) => eb.fn.min('deadline_at').as('next'))
        .where('deadline_at', '>', now)
        .executeTakeFirst();
      return next?.next ?? undefined;
    });
  }

  private async apply(trx: Db, transition: Transition): Promise<void> {
    const saga = await writeTransition(trx, this.codecs, transition, false);
    this.logger.info(
      {
        transactionId: saga.transactionId,
        status: saga.status,
        step: saga.step,
        phase: saga.phase,
        sent: transition.send?.type,
      },
      `purchase ${saga.transactionId}: ${saga.status}${saga.step ? ` at ${saga.step} (${saga.phase})` : ''}`,
    );
  }
}
