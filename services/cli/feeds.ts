import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { feedsDir } from '../../stack/components/connect';
import { createDatabase } from '../shared/db/database';
import { messageOf } from '../shared/errors/message-of';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { propertySchema } from '../property/published';
import type { FeedTables } from '../property/feeds/feed-records-table';

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
      let counts = db
        .selectFrom('feed_records')
        .select(['source', 'outcome', (eb) => eb.fn.countAll<string>().as('records')]);
      if (source) counts = counts.where('source', '=', requireSource(source));
      const rows = await counts.groupBy(['source', 'outcome']).orderBy('source').execute();
      let reasons = db
        .selectFrom('feed_records')
        .select(['source', 'reason', (eb) => eb.fn.countAll<string>().as('records')])
        .where('outcome', '=', 'rejected');
      if (source) reasons = reasons.where('source', '=', source);
      const rejections = await reasons
        .groupBy(['source', 'reason'])
        .orderBy('source')
        .orderBy('reason')
        .execute();
      const report = new Map<
        string,
        {
          imported: number;
          updated: number;
          unchanged: number;
          rejected: number;
          reasons: Record<string, number>;
        }
      >();
      const of = (name: string) => {
        let entry = report.get(name);
        if (!entry)
          report.set(name, (entry = { imported: 0, updated: 0, unchanged: 0, rejected: 0, reasons: {} }));
        return entry;
      };
      for (const row of rows) of(row.source)[row.outcome] = Number(row.records);
      for (const row of rejections) of(row.source).reasons[row.reason ?? '(none)'] = Number(row.records);
      if (report.size === 0) throw new Error(`no feed records${source ? ` of ${source}` : ''} yet`);
      if (options.json) {
        console.log(JSON.stringify(Object.fromEntries(report)));
        return;
      }
      for (const [name, entry] of report) {
        console.log(
          `${name}: ${entry.imported} imported, ${entry.updated} updated, ${entry.unchanged} unchanged, ${entry.rejected} rejected`,
        );
        for (const [reason, records] of Object.entries(entry.reasons))
          console.log(`  ${records} × ${reason}`);
      }
    } finally {
      await db.destroy();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`feeds: ${messageOf(error)}`);
  process.exit(1);
});
