import fs from 'node:fs';
import { configurationDoc, withCurrentTable } from './settings-doc';
import { settings } from './settings-table';

describe('the settings table of docs/configuration.md', () => {
  it('is what the config schemas say today (npm run docs:settings rewrites it)', () => {
    const document = fs.readFileSync(configurationDoc, 'utf8');
    expect(withCurrentTable(document)).toBe(document);
  });

  it('lists every variable once, each with a description and a default or "unset"', () => {
    const rows = settings();
    const names = rows.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
    for (const row of rows) {
      expect(row.description.length).toBeGreaterThan(10);
      expect(row.defaults).not.toBe('');
    }
    // One from each kind of reader: the infrastructure, a service, a CLI, the stack.
    expect(names).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'PROPERTY_SNAPSHOT_EVERY',
        'SLOT_LAG_WARN_BYTES',
        'KAFKA_HEAP',
      ]),
    );
  });
});
