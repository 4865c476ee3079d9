import { analyticsService } from './analytics/analytics-service';
import { auditService } from './audit/audit-service';
import { consoleService } from './console/console-service';
import { contractService } from './contract/contract-service';
import { paymentService } from './payment/payment-service';
import { peopleService } from './people/people-service';
import { propertyService } from './property/property-service';
import { searchService } from './search/search-service';
import type { ServiceDefinition } from './shared/service/service-definition';
import { titleService } from './title/title-service';
import { transactionService } from './transaction/transaction-service';
import { valuationService } from './valuation/valuation-service';

/** Every service of deedstream, each run as its own process (`npm run service -- <name>`). */
export const serviceCatalog = {
  property: propertyService,
  search: searchService,
  analytics: analyticsService,
  transaction: transactionService,
  payment: paymentService,
  contract: contractService,
  title: titleService,
  console: consoleService,
  people: peopleService,
  valuation: valuationService,
  audit: auditService,
} satisfies Record<string, ServiceDefinition>;

export type ServiceName = keyof typeof serviceCatalog;

export const serviceNames = Object.keys(serviceCatalog) as ServiceName[];

export function isServiceName(name: string): name is ServiceName {
  return Object.hasOwn(serviceCatalog, name);
}

/** The named service's definition, or an error naming the services there are. */
export function serviceNamed(name: string): ServiceDefinition {
  if (!isServiceName(name)) {
    throw new Error(`unknown service "${name}": use one of ${serviceNames.join(', ')}`);
  }
  return serviceCatalog[name];
}
