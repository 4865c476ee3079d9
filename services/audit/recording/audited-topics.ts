import { peopleTopic } from '../../people/published';
import { propertyTopic } from '../../property/published';
import { commandChannel, replyChannel } from '../../shared/messaging/channels';

/** The services that take saga commands (and answer on their reply channel). */
const sagaParticipants = ['property', 'payment', 'contract', 'title'] as const;

/** Everything the audit trail records: every service's events, every saga command and reply. */
export const auditedTopics: readonly string[] = [
  propertyTopic,
  peopleTopic,
  ...sagaParticipants.flatMap((service) => [commandChannel(service), replyChannel(service)]),
];
