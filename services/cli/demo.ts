import { Command } from 'commander';
import { signInLocalUsers } from './local-users';
import { messageOf } from '../shared/errors/message-of';
import { demoPost, requirePropertyService } from './demo-api';
import { seedListing, type DemoActors, type DemoCounts } from './demo-seeding';

interface DemoOptions {
  listings: string;
  api: string;
  paymentApi: string;
  transactionApi: string;
  concurrency: string;
}

/**
 * `npm run demo`: seeds a realistic market through the running APIs (`npm start`):
 * listings across several cities, price cuts, offers, withdrawals, and sales. A sale is
 * what a buyer does: the seller accepts the offer, the buyer funds an account and starts
 * a purchase, and the purchase saga reserves, contracts, transfers and sells.
 */
const program = new Command('demo')
  .description('seed a realistic data set through the write API')
  .option('--listings <n>', 'how many properties to list', '3000')
  .option('--api <url>', 'property service', 'http://127.0.0.1:3001')
  .option('--payment-api <url>', 'payment service', 'http://127.0.0.1:3005')
  .option('--transaction-api <url>', 'transaction service', 'http://127.0.0.1:3004')
  .option('--concurrency <n>', 'requests in flight', '16')
  .action(runDemo);

async function runDemo(options: DemoOptions): Promise<void> {
  const total = Number(options.listings);
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(total) || total < 1)
    throw new Error(`--listings ${options.listings} is not a positive number`);
  // Who does what, as in real life: the seller and the agent list, two buyers offer and
  // buy, an operator funds the buyers' accounts (the stand-in for a payment provider).
  const people = await signInLocalUsers(['seller1', 'agent1', 'buyer1', 'buyer2', 'ops1']);
  const demo: DemoActors = {
    people,
    paymentApi: options.paymentApi,
    post: demoPost(people, options.api),
    postPayment: demoPost(people, options.paymentApi),
    postTransaction: demoPost(people, options.transactionApi),
    counts: { listed: 0, priceCuts: 0, offers: 0, sold: 0, withdrawn: 0 },
  };
  await requirePropertyService(options.api);
  const began = Date.now();
  await seedAll(demo, total, concurrency);
  printSummary(demo.counts, (Date.now() - began) / 1000);
}

/** `concurrency` workers take the next listing number until all `total` are seeded, showing progress. */
async function seedAll(demo: DemoActors, total: number, concurrency: number): Promise<void> {
  let next = 0;
  const progress = setInterval(
    () => process.stdout.write(`\rdemo: ${demo.counts.listed}/${total} listed…`),
    500,
  );
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < total; i = next++) await seedListing(demo, i);
      }),
    );
  } finally {
    clearInterval(progress);
  }
}

function printSummary(counts: DemoCounts, seconds: number): void {
  console.log(
    `\rdemo: ${counts.listed} listed, ${counts.priceCuts} price cuts, ${counts.offers} offers, ${counts.sold} purchases started, ${counts.withdrawn} withdrawn in ${seconds.toFixed(1)} s`,
  );
  console.log('try: curl "localhost:3002/search/properties?city=Utrecht&minBedrooms=3&sort=price"');
  console.log('     curl "localhost:3003/analytics/markets/amsterdam"');
}

program.parseAsync().catch((error: unknown) => {
  console.error(`\ndemo: ${messageOf(error)}`);
  process.exit(1);
});
