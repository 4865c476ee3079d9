import { createParticipantService, type ParticipantService } from '../shared/messaging/participant-service';
import { contractRoutes } from './api/contract-routes';
import type { ContractConfig } from './contract-config';
import type { ContractTables } from './contract-tables';
import { contractCommandHandlers } from './handlers/contract-command-handlers';
import { loadContractCommandSchemas } from './messages/contract-messages';

export type ContractService = ParticipantService<ContractTables>;

/** Sale contracts: create (signed) and void for purchases; contracts and compliance holds over HTTP on 3006. */
export function createContractService(config: ContractConfig): Promise<ContractService> {
  return createParticipantService<ContractTables>(config, {
    service: 'contract',
    schema: 'contract',
    port: config.CONTRACT_PORT,
    pool: config.CONTRACT_DB_POOL,
    commandSchemas: loadContractCommandSchemas,
    handlers: contractCommandHandlers,
    routes: contractRoutes,
  });
}
