import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../errors/domain-error';
import { ConcurrencyError } from '../errors/concurrency-error';
import { UndecodableMessageError } from '../kafka/relayed-message';
import { TransientError } from '../errors/transient';
import type { Logger } from '../observability/logger';
import { commandChannel, replyChannel } from './channels';
import { commandReplyType, type CommandReply } from './command-reply';
import { claimMessage, DuplicateMessage, inOneTransactionOnce } from './inbox';
import type { IncomingMessage } from './incoming-message';
import type { MessageCodecs } from './message-codecs';
import type { MessagingTables } from './messaging-tables';
import { messageOutboxRows } from './outgoing-message';

/**
 * Commits a successful command: claims it in the inbox and writes the SUCCEEDED reply to
 * the outbox, inside the handler's own transaction (the one that changes its state).
 */
export type Acknowledge = (trx: ServiceTransaction, detail?: string) => Promise<void>;

/**
 * A kysely transaction over a service's own tables, which include MessagingTables. Typed
 * loosely because kysely's database types are invariant: Kysely<PaymentTables> is not a
 * Kysely<MessagingTables> to the compiler, though it has those tables.
 */
export type ServiceTransaction = object;

/**
 * Applies one command. It must call `acknowledge` inside the transaction that makes its
 * change, or throw a DomainError to refuse (nothing it wrote is kept then).
 */
export type CommandHandler = (command: IncomingMessage, acknowledge: Acknowledge) => Promise<void>;

/**
 * One handler for every command type of a published language (`M`: type name → payload),
 * each reading its own payload type: a type without a handler does not compile.
 */
export type CommandHandlers<M> = {
  readonly [T in keyof M]: (command: IncomingMessage<M[T]>, acknowledge: Acknowledge) => Promise<void>;
};

/**
 * The handlers as the processor holds them, dispatching by type name. The payload types are
 * erased only here: the decoder read each command with its writer's schema of that type.
 */
export function commandHandlers<M>(handlers: CommandHandlers<M>): Readonly<Record<string, CommandHandler>> {
  return handlers as unknown as Readonly<Record<string, CommandHandler>>;
}

/**
 * A participant's side of the conversation: runs the handler of each command at most
 * once in effect and answers on `<service>.replies`. The inbox claim, the state change
 * and the reply commit in one transaction; a refusal (DomainError) commits the claim and
 * a REFUSED reply instead. A command past its `expiresAt` is refused unapplied: its
 * sender has given up on it and is compensating.
 */
export class CommandProcessor {
  readonly consumerName: string;

  constructor(
    private readonly db: Kysely<MessagingTables>,
    private readonly codecs: MessageCodecs,
    private readonly service: string,
    private readonly handlers: Readonly<Record<string, CommandHandler>>,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.consumerName = commandChannel(service);
  }

  get commandTypes(): string[] {
    return Object.keys(this.handlers);
  }

  async process(command: IncomingMessage): Promise<void> {
    const handler = this.handlers[command.type];
    if (!handler) {
      throw new UndecodableMessageError(`${this.service} has no handler for command type ${command.type}`);
    }
    const expiresAt = command.data.expiresAt;
    if (typeof expiresAt === 'string' && Date.parse(expiresAt) <= this.clock().getTime()) {
      await this.refuse(
        command,
        'command-expired',
        `${command.type} expired at ${expiresAt} before it arrived`,
      );
      return;
    }
    let acknowledged = false;
    const acknowledge: Acknowledge = async (trx, detail) => {
      // A service's own tables extend MessagingTables; kysely's types are invariant in them.
      const messaging = trx as unknown as Kysely<MessagingTables>;
      await claimMessage(messaging, this.consumerName, command.messageId);
      await this.reply(messaging, command, { outcome: 'SUCCEEDED', rule: null, reason: detail ?? null });
      acknowledged = true;
    };
    try {
      await handler(command, acknowledge);
      if (!acknowledged)
        throw new Error(`the ${command.type} handler of ${this.service} did not acknowledge`);
    } catch (error) {
      if (error instanceof DuplicateMessage) return;
      if (error instanceof DomainError) {
        await this.refuse(command, error.rule, error.message);
        return;
      }
      // Someone changed the same aggregate meanwhile: load again and decide again.
      if (error instanceof ConcurrencyError) throw new TransientError(error.message, { cause: error });
      throw error;
    }
  }

  private async refuse(command: IncomingMessage, rule: string, reason: string): Promise<void> {
    this.logger.info({ type: command.type, correlationId: command.correlationId, rule }, reason);
    await inOneTransactionOnce(this.db, this.consumerName, command.messageId, (trx) =>
      this.reply(trx, command, { outcome: 'REFUSED', rule, reason }),
    );
  }

  private async reply(
    trx: Kysely<MessagingTables>,
    command: IncomingMessage,
    answer: Omit<CommandReply, 'command'>,
  ): Promise<void> {
    const rows = await messageOutboxRows(this.codecs, [
      {
        channel: replyChannel(this.service),
        key: command.correlationId,
        type: commandReplyType,
        data: { command: command.type, ...answer } satisfies CommandReply,
        messageId: randomUUID(),
        correlationId: command.correlationId,
        causationId: command.messageId,
        actor: command.actor,
        sequence: command.sequence,
      },
    ]);
    await trx.insertInto('outbox').values(rows).execute();
  }
}
