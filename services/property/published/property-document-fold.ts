import type { ProjectedEvent } from '../../shared/projection/projection';
import {
  propertyEventOf,
  type PropertyEvent,
  type PropertyListed,
  type PropertyListedData,
} from './property-events';

/** Any property event after the one that listed it. */
export type PropertyChange = Exclude<PropertyEvent, PropertyListed>;

/** How a read model builds its per-property document: from the listing, then change by change. */
export interface PropertyDocumentSteps<D extends { version: number; updatedAt: string }> {
  listed(id: string, listed: PropertyListedData, at: string): D;
  /** `next` is the document already moved to the change's version and time. */
  changed(next: D, change: PropertyChange, at: string): D;
}

/**
 * The fold every per-property read model shares: a listing starts the document at version
 * 1, and each later event must follow the last applied one exactly. A gap, a repeat
 * listing or an event for a property never listed throws, so the event is parked rather
 * than applied out of order (pure; the projection runner turns the throw into a DLQ entry).
 */
export function propertyDocumentFold<D extends { version: number; updatedAt: string }>(
  steps: PropertyDocumentSteps<D>,
): (current: D | undefined, event: ProjectedEvent) => D | undefined {
  return (current, event) => {
    const typed = propertyEventOf(event);
    if (!typed) throw new Error(`unknown event type ${event.eventType}`);
    if (typed.type === 'PropertyListed') {
      if (event.version !== 1) throw new Error(`PropertyListed at version ${event.version}, expected 1`);
      return steps.listed(event.aggregateId, typed.data, event.occurredAt);
    }
    if (!current)
      throw new Error(`${typed.type} v${event.version} for a property the index has never seen listed`);
    if (event.version !== current.version + 1) {
      throw new Error(`${typed.type} v${event.version} follows v${current.version}: an event is missing`);
    }
    return steps.changed(
      { ...current, version: event.version, updatedAt: event.occurredAt },
      typed,
      event.occurredAt,
    );
  };
}
