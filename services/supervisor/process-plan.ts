/** One process the supervisor runs: a replica of a service. */
export interface PlannedProcess {
  service: string;
  /** 1-based; replicas of one service share its port and its consumer groups. */
  replica: number;
  replicas: number;
}

/** "search=2,property=2" (or several such options) → replicas per service. */
export function parseReplicas(specs: readonly string[], known: readonly string[]): Map<string, number> {
  const replicas = new Map<string, number>();
  for (const part of specs
    .flatMap((spec) => spec.split(','))
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)$/.exec(part);
    if (!match?.[1] || !match[2])
      throw new Error(`--replicas "${part}": expected <service>=<count>, e.g. search=2`);
    const [, service, count] = match;
    if (!known.includes(service))
      throw new Error(`--replicas "${part}": unknown service; use one of ${known.join(', ')}`);
    const n = Number(count);
    if (n < 1 || n > 16) throw new Error(`--replicas "${part}": the count must be 1 to 16`);
    replicas.set(service, n);
  }
  return replicas;
}

/** "property,search" → those services; undefined or empty → all of them. */
export function parseOnly(spec: string | undefined, known: readonly string[]): string[] {
  if (!spec?.trim()) return [...known];
  const wanted = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((s) => !known.includes(s));
  if (unknown.length > 0)
    throw new Error(`--only: unknown service ${unknown.join(', ')}; use some of ${known.join(', ')}`);
  return known.filter((s) => wanted.includes(s));
}

/** Every process to run, services in catalog order, replicas in order. */
export function planProcesses(
  services: readonly string[],
  replicas: ReadonlyMap<string, number>,
): PlannedProcess[] {
  for (const service of replicas.keys()) {
    if (!services.includes(service))
      throw new Error(`--replicas ${service}=…: ${service} is not among the services to run`);
  }
  return services.flatMap((service) => {
    const count = replicas.get(service) ?? 1;
    return Array.from({ length: count }, (_, i) => ({ service, replica: i + 1, replicas: count }));
  });
}

/** How the supervisor names a process in its lines: "search" alone, "search#2" among replicas. */
export function processLabel(p: PlannedProcess): string {
  return p.replicas > 1 ? `${p.service}#${p.replica}` : p.service;
}
