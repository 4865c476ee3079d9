import { Command } from 'commander';
import { messageOf } from '../shared/errors/message-of';
import { elasticsearchClient } from '../shared/elasticsearch/elasticsearch-client';
import { isIndexNotFound } from '../shared/http/read-model';
import { backtestReport, type BacktestReport } from '../valuation/backtest/backtest-report';
import { runBacktest } from '../valuation/backtest/run-backtest';
import { valuationProjection } from '../valuation/projections/valuation-projection';
import { valuationConfig, valuationSettingsOf } from '../valuation/valuation-config';

/** `npm run valuation -- backtest [--city CITY] [--json]` */
const percent = (share: number | null) => (share === null ? 'n/a' : `${(share * 100).toFixed(1)} %`);

function printReport(report: BacktestReport, settings: string): void {
  console.log(`backtest: ${report.sales} sales, each valued from the sales before it (${settings})`);
  console.log(`  estimated:                         ${report.estimated}`);
  console.log(`  not enough comparables:            ${report.insufficientComparables}`);
  console.log(`  median absolute percentage error:  ${percent(report.medianAbsolutePercentageError)}`);
  console.log(`  within 10 % of the price:          ${percent(report.withinTenPercent)}`);
  console.log(`  within 20 % of the price:          ${percent(report.withinTwentyPercent)}`);
  console.log(`  price inside the 80 % band:        ${percent(report.bandCoverage)}`);
  console.log(`  median band width:                 ${percent(report.medianBandWidth)} of the estimate`);
}

const program = new Command('valuation').description('Operates the automated valuation model');

program
  .command('backtest')
  .description(
    'values every sale in the valuation read model as of the moment it sold, from earlier sales only, and reports the error',
  )
  .option('--city <city>', 'only the sales of this city')
  .option('--json', 'print the report as JSON')
  .action(async (options: { city?: string; json?: boolean }) => {
    const config = valuationConfig();
    const settings = valuationSettingsOf(config);
    const es = elasticsearchClient(config.ELASTICSEARCH_URL);
    try {
      const cases = await runBacktest(es, valuationProjection.alias, settings, { city: options.city });
      if (cases.length === 0) {
        throw new Error(
          `no sales${options.city ? ` in ${options.city}` : ''} in the valuation read model to backtest: run \`npm run demo\` with \`npm start\` running`,
        );
      }
      const report = backtestReport(cases);
      if (options.json) console.log(JSON.stringify({ settings, ...report }));
      else
        printReport(
          report,
          `radius ${settings.radiusKm} km, window ${settings.windowDays} days, ${settings.minComparables}–${settings.maxComparables} comparables`,
        );
    } catch (error) {
      if (isIndexNotFound(error))
        throw new Error(
          `the valuation read model "${valuationProjection.alias}" does not exist yet: run \`npm start\``,
          { cause: error },
        );
      throw error;
    } finally {
      await es.close();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`valuation: ${messageOf(error)}`);
  process.exit(1);
});
