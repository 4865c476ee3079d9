import { titleApi } from './api/title-openapi';
import { participantService } from '../shared/messaging/participant-service';
import { titleRoutes } from './api/title-routes';
import { titleCommandHandlers } from './handlers/title-command-handlers';
import { loadTitleCommandSchemas } from './published/title-messages';
import { titleConfig, type TitleConfig } from './title-config';
import type { TitleTables } from './title-tables';

/** The title registry: transfer and revert ownership for purchases; titles and liens over HTTP on 3007. */
export const titleService = participantService<TitleConfig, TitleTables>({
  service: 'title',
  summary:
    'GET /titles/:propertyId, PUT|DELETE /titles/:propertyId/liens/:lienId; saga participant on title.commands',
  schema: 'title',
  loadConfig: titleConfig,
  port: (config) => config.TITLE_PORT,
  api: titleApi,
  pool: (config) => config.TITLE_DB_POOL,
  commandSchemas: loadTitleCommandSchemas,
  handlers: titleCommandHandlers,
  routes: titleRoutes,
});
