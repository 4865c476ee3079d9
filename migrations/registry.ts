import type { Migration } from 'kysely';
import { auditMigrations } from './audit';
import { contractMigrations } from './contract';
import { keystoreMigrations } from './keystore';
import { paymentMigrations } from './payment';
import { peopleMigrations } from './people';
import { propertyMigrations } from './property';
import { relayMigrations } from './relay';
import { titleMigrations } from './title';
import { transactionMigrations } from './transaction';

/** Each service owns one Postgres schema; its migrations and their bookkeeping live there. */
export interface ServiceMigrations {
  schema: string;
  migrations: Record<string, Migration>;
}

export const serviceMigrations: Record<string, ServiceMigrations> = {
  property: { schema: 'property', migrations: propertyMigrations },
  transaction: { schema: 'transaction', migrations: transactionMigrations },
  payment: { schema: 'payment', migrations: paymentMigrations },
  contract: { schema: 'contract', migrations: contractMigrations },
  title: { schema: 'title', migrations: titleMigrations },
  people: { schema: 'people', migrations: peopleMigrations },
  audit: { schema: 'audit', migrations: auditMigrations },
  // Not a service: the key store of crypto-shredding (services/shared/privacy), shared by all.
  keystore: { schema: 'keystore', migrations: keystoreMigrations },
  // Not a service: the heartbeat of the database's one outbox relay (connectors/outbox-relay.json).
  relay: { schema: 'relay', migrations: relayMigrations },
};
