import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/** Renders stack/config/<name> with {{key}} placeholders into `target`. */
export function renderConfig(name: string, values: Record<string, string | number>, target: string): void {
  const source = fs.readFileSync(path.join(repoRoot, 'stack', 'config', name), 'utf8');
  const rendered = source.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`stack/config/${name}: no value for {{${key}}}`);
    return String(value);
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, rendered);
}
