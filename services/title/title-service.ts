import { createParticipantService, type ParticipantService } from '../shared/messaging/participant-service';
import { titleRoutes } from './api/title-routes';
import type { TitleConfig } from './title-config';
import type { TitleTables } from './title-tables';
import { titleCommandHandlers } from './handlers/title-command-handlers';
import { loadTitleCommandSchemas } from './messages/title-messages';

export type TitleService = ParticipantService<TitleTables>;

/** The title registry: transfer and revert ownership for purchases; titles and liens over HTTP on 3007. */
export function createTitleService(config: TitleConfig): Promise<TitleService> {
  return createParticipantService<TitleTables>(config, {
    service: 'title',
    schema: 'title',
    port: config.TITLE_PORT,
    pool: config.TITLE_DB_POOL,
    commandSchemas: loadTitleCommandSchemas,
    handlers: titleCommandHandlers,
    routes: titleRoutes,
  });
}
