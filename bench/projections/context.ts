import type { Admin } from 'kafkajs';
import type { PropertySearchDocument } from '../../services/search/projections/property-search-document';
import type { Projection } from '../../services/shared/projection/projection';
import type { createProjectionDeps } from '../../services/shared/projection/projection-deps';
import type { RunnerOptions } from '../../services/shared/projection/projection-runner';
import type { Options } from './options';

/** The documents of the projection under test: the property-search projection's. */
export type Doc = PropertySearchDocument;

/** What every phase works with: an isolated copy of the projection and the clients to reach it. */
export interface Context {
  options: Options;
  admin: Admin;
  deps: ReturnType<typeof createProjectionDeps>['deps'];
  runnerOptions: RunnerOptions;
  projection: Projection<Doc>;
  /** Concrete index names this run created and still has to delete. */
  created: Set<string>;
}
