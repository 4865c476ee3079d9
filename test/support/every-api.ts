import { migrateAllToLatest } from '../../migrations/migrator';
import { serviceCatalog, serviceNamed, type ServiceName } from '../../services/catalog';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { createDatabase } from '../../services/shared/db/database';
import { startService, type RunningService } from '../../services/shared/service/start-service';

/** Migrates every schema and sets the service roles' rights, as the schemas' owner (as `npm start` does). */
export async function migrateAsOwner(): Promise<void> {
  const owner = createDatabase<unknown>({
    connectionString: infrastructureConfig().DATABASE_URL,
    maxConnections: 1,
  });
  try {
    await migrateAllToLatest(owner);
  } finally {
    await owner.destroy();
  }
}

/**
 * Every service API-only (no workers), on ports of its own, after migrating: the console
 * last, since it calls the others at the ports they got. `env` adds to the environment.
 */
export async function startEveryApi(env: NodeJS.ProcessEnv): Promise<Map<ServiceName, RunningService>> {
  await migrateAsOwner();
  const running = new Map<ServiceName, RunningService>();
  const names = (Object.keys(serviceCatalog) as ServiceName[]).filter((name) => name !== 'console');
  for (const name of [...names, 'console' as const]) {
    const ports = Object.fromEntries(
      [...running].map(([service, started]) => [`${service.toUpperCase()}_PORT`, String(started.port)]),
    );
    running.set(
      name,
      await startService(serviceNamed(name), {
        env: { ...process.env, ...ports, ...env },
        port: 0,
        workers: false,
      }),
    );
  }
  return running;
}
