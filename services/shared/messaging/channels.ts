/**
 * Names of the topics services talk on. A service owns its command channel (others send
 * it commands) and its reply channel (it answers there). Outbox rows addressed to a
 * dotted name are relayed to that topic verbatim; an undotted aggregate type goes to
 * `<type>.events` (see connectors/templates/outbox-relay.json).
 */
export const commandChannel = (service: string): string => `${service}.commands`;
export const replyChannel = (service: string): string => `${service}.replies`;
