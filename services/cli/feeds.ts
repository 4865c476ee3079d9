import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { feedsDir } from '../../stack/components/connect';
import { createDatabase } from '../shared/db/database';
import { messageOf } from '../shared/errors/message-of';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { propertySchema } from '../property/published';
import type { FeedTables } from '../property/feeds/feed-records-table';
import { feedReport } from '../property/feeds/feed-report';

/** `npm run feeds -- drop <source> <file> | report [source]` */
const SOURCE = /^[a-z][a-z0-9_]*$/;

/** Where the feeds' file sources read: FEEDS_DIR, else the native stack's folder. */
const feedsFolder = () => path.resolve(process.env.FEEDS_DIR ?? feedsDir());

function requireSource(source: string): string {
  if (!SOURCE.test(source)) throw new Error(`source "${source}": lower-case letters, digits and "_" only`);
  return source;
}

const program = new Command('feeds').description(
  'Operates the listing feeds (Kafka file source → property importer)',
);

program
  .command('drop <source> <file>')
  .description(
    "hands a feed file (one JSON listing per line) to the source's connector: appended whole to <feeds dir>/<source>.jsonl",
  )
  .action((source: string, file: string) => {
    requireSource(source);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new Error(`${file}: no such file`);
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) throw new Error(`${file}: no records (one JSON listing per line)`);
    const target = path.join(feedsFolder(), `${source}.jsonl`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // One write of whole lines: the connector, tailing the file, never sees half a record
    // from this drop joined to the next one.
    fs.appendFileSync(target, `${lines.join('\n')}\n`);
    console.log(`${source}: ${lines.length} records dropped → ${target}`);
  });

program
  .command('report [source]')
  .description(
    'per source: records imported, updated, unchanged and rejected (with the reasons of the rejected)',
  )
  .option('--json', 'print the report as JSON')
  .action(async (source: string | undefined, options: { json?: boolean }) => {
    const db = createDatabase<FeedTables>({
      connectionString: infrastructureConfig().DATABASE_URL,
      maxConnections: 1,
    }).withSchema(propertySchema);
    try {
      const reports = await feedReport(db, source === undefined ? undefined : requireSource(source));
      if (reports.length === 0) throw new Error(`no feed records${source ? ` of ${source}` : ''} yet`);
      if (options.json) {
        // Keyed by source, the reasons an object: the shape scripts (and the feeds e2e test) read.
        const bySource = reports.map(({ source: name, reasons, ...counts }) => [
          name,
          { ...counts, reasons: Object.fromEntries(reasons.map((r) => [r.reason, r.records])) },
        ]);
        console.log(JSON.stringify(Object.fromEntries(bySource)));
        return;
      }
      for (const report of reports) {
        console.log(
          `${report.source}: ${report.imported} imported, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected`,
        );
        for (const { reason, records } of report.reasons) console.log(`  ${records} × ${reason}`);
      }
    } finally {
      await db.destroy();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`feeds: ${messageOf(error)}`);
  process.exit(1);
});
