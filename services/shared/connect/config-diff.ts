export type ConfigChange =
  | { key: string; kind: 'add'; to: string }
  | { key: string; kind: 'remove'; from: string }
  | { key: string; kind: 'change'; from: string; to: string };

/** Key-by-key difference between the running config and the desired one. */
export function diffConfig(
  running: Record<string, string> | undefined,
  desired: Record<string, string>,
): ConfigChange[] {
  const current = running ?? {};
  const keys = [...new Set([...Object.keys(current), ...Object.keys(desired)])].sort();
  const changes: ConfigChange[] = [];
  for (const key of keys) {
    const from = current[key];
    const to = desired[key];
    if (from === to) continue;
    if (from === undefined && to !== undefined) changes.push({ key, kind: 'add', to });
    else if (to === undefined && from !== undefined) changes.push({ key, kind: 'remove', from });
    else if (from !== undefined && to !== undefined) changes.push({ key, kind: 'change', from, to });
  }
  return changes;
}

export function formatChange(change: ConfigChange): string {
  switch (change.kind) {
    case 'add':
      return `+ ${change.key} = ${change.to}`;
    case 'remove':
      return `- ${change.key} = ${change.from}`;
    case 'change':
      return `~ ${change.key}: ${change.from} → ${change.to}`;
  }
}
