import type { CommandOutcome } from '../../shared/messaging/command-reply';
import {
  purchaseSteps,
  stepNamed,
  type PurchaseTerms,
  type SagaCommand,
  type StepName,
} from './purchase-steps';

export type SagaStatus = 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'COMPENSATED' | 'FAILED';
export type Phase = 'forward' | 'compensation';

/** Where a purchase stands. Changes only together with the command it sends (one transaction). */
export interface PurchaseSaga extends PurchaseTerms {
  status: SagaStatus;
  /** The step whose reply is awaited; null once the saga ended. */
  step: StepName | null;
  phase: Phase | null;
  awaitingMessageId: string | null;
  /** When the awaited reply is overdue. */
  deadlineAt: Date | null;
  /** Forward steps that succeeded, in order. */
  completedSteps: StepName[];
  /** Compensations still to run, in the order they run (reverse of completion). */
  pendingCompensations: StepName[];
  cause: string | null;
  /** Messages sent so far; numbers the next one (its sequence header). */
  sequence: number;
  version: number;
}

export type HistoryOutcome = 'SENT' | CommandOutcome | 'TIMED_OUT';

/** One line of the saga's step history. */
export interface HistoryEntry {
  step: StepName;
  phase: Phase;
  command: string;
  messageId: string;
  outcome: HistoryOutcome;
  detail: string | null;
  at: Date;
}

/** A command to send, with the id it gets and its place in the purchase. */
export interface OutgoingCommand extends SagaCommand {
  messageId: string;
  causationId: string;
  sequence: number;
}

export interface Transition {
  saga: PurchaseSaga;
  send: OutgoingCommand | null;
  history: HistoryEntry[];
}

export interface SagaTiming {
  /** How long a participant may take to apply a forward command (its expiresAt). */
  stepTimeoutMs: number;
  /** Extra wait for the reply after expiresAt, so a reply to a command applied just in time still counts. */
  replyGraceMs: number;
}

export interface Reply {
  messageId: string;
  causationId: string | null;
  command: string;
  outcome: CommandOutcome;
  rule: string | null;
  reason: string | null;
}

type Clock = { now: Date; newId: () => string; timing: SagaTiming };

function sendStep(
  saga: PurchaseSaga,
  step: StepName,
  phase: Phase,
  causationId: string,
  clock: Clock,
  history: HistoryEntry[],
): Transition {
  const definition = stepNamed(step);
  const expiresAt = new Date(clock.now.getTime() + clock.timing.stepTimeoutMs);
  const built =
    phase === 'forward'
      ? definition.forward(saga, expiresAt.toISOString())
      : (definition.compensate?.(saga, saga.cause ?? 'purchase compensated') ?? null);
  if (!built) throw new Error(`step ${step} has no ${phase} command`);
  const messageId = clock.newId();
  const sequence = saga.sequence + 1;
  const next: PurchaseSaga = {
    ...saga,
    step,
    phase,
    awaitingMessageId: messageId,
    deadlineAt: new Date(expiresAt.getTime() + clock.timing.replyGraceMs),
    sequence,
  };
  return {
    saga: next,
    send: { ...built, messageId, causationId, sequence },
    history: [
      ...history,
      { step, phase, command: built.type, messageId, outcome: 'SENT', detail: null, at: clock.now },
    ],
  };
}

function ended(
  saga: PurchaseSaga,
  status: SagaStatus,
  history: HistoryEntry[],
  cause = saga.cause,
): Transition {
  return {
    saga: { ...saga, status, step: null, phase: null, awaitingMessageId: null, deadlineAt: null, cause },
    send: null,
    history,
  };
}

/** Starts compensating `steps` (most recent first), or ends COMPENSATED if there is nothing to undo. */
function compensate(
  saga: PurchaseSaga,
  steps: StepName[],
  cause: string,
  causationId: string,
  clock: Clock,
  history: HistoryEntry[],
): Transition {
  const pending = [...steps].reverse().filter((s) => stepNamed(s).compensate !== null);
  const compensating: PurchaseSaga = {
    ...saga,
    status: 'COMPENSATING',
    cause,
    pendingCompensations: pending,
  };
  const first = pending[0];
  if (!first) return ended(compensating, 'COMPENSATED', history);
  return sendStep(compensating, first, 'compensation', causationId, clock, history);
}

/** A new purchase: sends the first step. */
export function startPurchase(terms: PurchaseTerms, clock: Clock): Transition {
  const saga: PurchaseSaga = {
    ...terms,
    status: 'RUNNING',
    step: null,
    phase: null,
    awaitingMessageId: null,
    deadlineAt: null,
    completedSteps: [],
    pendingCompensations: [],
    cause: null,
    sequence: 0,
    version: 0,
  };
  const first = purchaseSteps[0];
  if (!first) throw new Error('a purchase has steps');
  return sendStep(saga, first.name, 'forward', terms.transactionId, clock, []);
}

/**
 * A participant answered. Replies to anything but the awaited command (duplicates, late
 * answers to a command the saga gave up on) change nothing: returns null.
 */
export function onReply(saga: PurchaseSaga, reply: Reply, clock: Clock): Transition | null {
  if (!saga.step || !saga.phase || reply.causationId !== saga.awaitingMessageId) return null;
  const step = saga.step;
  const detail =
    reply.outcome === 'REFUSED' ? `${reply.rule ?? 'refused'}: ${reply.reason ?? ''}` : reply.reason;
  const history: HistoryEntry[] = [
    {
      step,
      phase: saga.phase,
      command: reply.command,
      messageId: reply.messageId,
      outcome: reply.outcome,
      detail,
      at: clock.now,
    },
  ];

  if (saga.phase === 'compensation') {
    if (reply.outcome === 'REFUSED') {
      return ended(
        saga,
        'FAILED',
        history,
        `${saga.cause ?? ''}; compensation ${step} refused (${detail ?? ''}): needs an operator`,
      );
    }
    const [, ...rest] = saga.pendingCompensations;
    const next = rest[0];
    const progressed = { ...saga, pendingCompensations: rest };
    if (!next) return ended(progressed, 'COMPENSATED', history);
    return sendStep(progressed, next, 'compensation', reply.messageId, clock, history);
  }

  if (reply.outcome === 'REFUSED') {
    if (stepNamed(step).afterPointOfNoReturn) {
      return ended(
        saga,
        'FAILED',
        history,
        `${step} refused after the sale (${detail ?? ''}): needs an operator`,
      );
    }
    return compensate(
      saga,
      saga.completedSteps,
      `${step} refused: ${detail ?? ''}`,
      reply.messageId,
      clock,
      history,
    );
  }
  const progressed = { ...saga, completedSteps: [...saga.completedSteps, step] };
  const index = purchaseSteps.findIndex((s) => s.name === step);
  const next = purchaseSteps[index + 1];
  if (!next) return ended(progressed, 'COMPLETED', history);
  return sendStep(progressed, next.name, 'forward', reply.messageId, clock, history);
}

/**
 * The awaited reply is overdue. A forward step before the point of no return is given
 * up: it is compensated too (it may have been applied just before its expiry), after
 * the steps that completed. Compensations and steps after the point of no return are
 * re-sent; participants apply each at most once per purchase.
 */
export function onDeadline(saga: PurchaseSaga, clock: Clock): Transition | null {
  if (!saga.step || !saga.phase || !saga.deadlineAt || saga.deadlineAt > clock.now) return null;
  const step = saga.step;
  const definition = stepNamed(step);
  const timedOut: HistoryEntry = {
    step,
    phase: saga.phase,
    command: saga.phase === 'forward' ? definition.name : `compensate ${definition.name}`,
    messageId: saga.awaitingMessageId ?? '',
    outcome: 'TIMED_OUT',
    detail: `no reply by ${saga.deadlineAt.toISOString()}`,
    at: clock.now,
  };
  const causation = saga.awaitingMessageId ?? saga.transactionId;
  if (saga.phase === 'compensation' || definition.afterPointOfNoReturn) {
    return sendStep(saga, step, saga.phase, causation, clock, [timedOut]);
  }
  return compensate(
    saga,
    [...saga.completedSteps, step],
    `${step} timed out: no reply within ${clock.timing.stepTimeoutMs + clock.timing.replyGraceMs} ms`,
    causation,
    clock,
    [timedOut],
  );
}
