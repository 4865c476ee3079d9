import { contractApi } from './api/contract-openapi';
import { participantService } from '../shared/messaging/participant-service';
import { contractRoutes } from './api/contract-routes';
import { contractCommandHandlers } from './handlers/contract-command-handlers';
import { loadContractCommandSchemas } from './published/contract-messages';
import { contractConfig, type ContractConfig } from './contract-config';
import type { ContractTables } from './contract-tables';

/** Sale contracts: create (signed) and void for purchases; contracts and compliance holds over HTTP on 3006. */
export const contractService = participantService<ContractConfig, ContractTables>({
  service: 'contract',
  summary:
    'GET /contracts/:transactionId, PUT|DELETE /compliance-holds/:partyId; saga participant on contract.commands',
  schema: 'contract',
  loadConfig: contractConfig,
  port: (config) => config.CONTRACT_PORT,
  api: contractApi,
  pool: (config) => config.CONTRACT_DB_POOL,
  commandSchemas: loadContractCommandSchemas,
  handlers: contractCommandHandlers,
  routes: contractRoutes,
});
