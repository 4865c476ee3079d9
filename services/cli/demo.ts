import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { signInLocalUsers } from './local-users';
import { messageOf } from '../shared/errors/message-of';

/**
 * `npm run demo`: seeds a realistic market through the running APIs (`npm start`):
 * listings across several cities, price cuts, offers, withdrawals, and sales. A sale is
 * what a buyer does: the seller accepts the offer, the buyer funds an account and starts
 * a purchase, and the purchase saga reserves, contracts, transfers and sells.
 */
const cities = [
  { city: 'Amsterdam', region: 'Noord-Holland', postal: '10', lat: 52.37, lon: 4.89, base: 650_000 },
  { city: 'Rotterdam', region: 'Zuid-Holland', postal: '30', lat: 51.92, lon: 4.48, base: 420_000 },
  { city: 'Utrecht', region: 'Utrecht', postal: '35', lat: 52.09, lon: 5.12, base: 520_000 },
  { city: 'Den Haag', region: 'Zuid-Holland', postal: '25', lat: 52.08, lon: 4.3, base: 460_000 },
  { city: 'Eindhoven', region: 'Noord-Brabant', postal: '56', lat: 51.44, lon: 5.48, base: 390_000 },
  { city: 'Groningen', region: 'Groningen', postal: '97', lat: 53.22, lon: 6.57, base: 330_000 },
  { city: 'Haarlem', region: 'Noord-Holland', postal: '20', lat: 52.38, lon: 4.64, base: 540_000 },
];
const streets = [
  'Kerkstraat',
  'Molenweg',
  'Stationsplein',
  'Dorpsstraat',
  'Lindenlaan',
  'Havenkade',
  'Parkweg',
  'Schoolstraat',
];
const types = ['apartment', 'house', 'townhouse', 'condo'] as const;

interface DemoOptions {
  listings: string;
  api: string;
  paymentApi: string;
  transactionApi: string;
  concurrency: string;
}

const program = new Command('demo')
  .description('seed a realistic data set through the write API')
  .option('--listings <n>', 'how many properties to list', '3000')
  .option('--api <url>', 'property service', 'http://127.0.0.1:3001')
  .option('--payment-api <url>', 'payment service', 'http://127.0.0.1:3005')
  .option('--transaction-api <url>', 'transaction service', 'http://127.0.0.1:3004')
  .option('--concurrency <n>', 'requests in flight', '16')
  .action(async (options: DemoOptions) => {
    const total = Number(options.listings);
    const concurrency = Number(options.concurrency);
    if (!Number.isInteger(total) || total < 1)
      throw new Error(`--listings ${options.listings} is not a positive number`);
    // Who does what, as in real life: the seller and the agent list, two buyers offer and
    // buy, an operator funds the buyers' accounts (the stand-in for a payment provider).
    const people = await signInLocalUsers(['seller1', 'agent1', 'buyer1', 'buyer2', 'ops1']);
    const postTo =
      (api: string) =>
      async (
        as: string,
        path: string,
        body: unknown,
        headers: Record<string, string> = {},
      ): Promise<Record<string, unknown>> => {
        const response = await fetch(`${api}${path}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': randomUUID(),
            Authorization: `Bearer ${await people.token(as)}`,
            ...headers,
          },
          body: JSON.stringify(body),
        });
        if (response.status >= 400)
          throw new Error(`POST ${api}${path} → ${response.status}: ${await response.text()}`);
        return (await response.json()) as Record<string, unknown>;
      };
    const post = postTo(options.api);
    const postPayment = postTo(options.paymentApi);
    const postTransaction = postTo(options.transactionApi);
    try {
      await fetch(`${options.api}/health`);
    } catch {
      throw new Error(
        `the property service is not answering at ${options.api}: start it with \`npm start\` in another terminal`,
      );
    }
    const counts = { listed: 0, priceCuts: 0, offers: 0, sold: 0, withdrawn: 0 };
    const began = Date.now();
    const seedOne = async (i: number) => {
      const c = cities[i % cities.length] as (typeof cities)[number];
      const bedrooms = 1 + Math.floor(Math.random() * 5);
      const price =
        Math.round((c.base * (0.6 + Math.random() * 0.9) * (0.7 + bedrooms * 0.15)) / 1000) * 1000;
      const lister = i % 3 === 0 ? 'agent1' : 'seller1';
      const created = await post(lister, '/properties', {
        address: {
          street: `${streets[i % streets.length]} ${1 + (i % 180)}`,
          city: c.city,
          postalCode: `${c.postal}${String(10 + (i % 89)).padStart(2, '0')} ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}`,
          region: c.region,
          country: 'NL',
          lat: c.lat + (Math.random() - 0.5) * 0.08,
          lon: c.lon + (Math.random() - 0.5) * 0.12,
        },
        price: { amount: price, currency: 'EUR' },
        bedrooms,
        bathrooms: 1 + Math.floor(bedrooms / 3),
        areaSqm: 35 + bedrooms * 22 + Math.floor(Math.random() * 30),
        type: types[i % types.length],
      });
      counts.listed += 1;
      const id = created.id as string;
      let current = price;
      if (Math.random() < 0.35) {
        current = Math.round((current * (0.9 + Math.random() * 0.07)) / 1000) * 1000;
        await post(lister, `/properties/${id}/price`, { price: { amount: current, currency: 'EUR' } });
        counts.priceCuts += 1;
      }
      if (Math.random() < 0.08) {
        await post(lister, `/properties/${id}/withdraw`, { reason: 'owner changed plans' });
        counts.withdrawn += 1;
        return;
      }
      if (Math.random() < 0.45) {
        const buyer = i % 2 === 0 ? 'buyer1' : 'buyer2';
        const amount = Math.round((current * (0.93 + Math.random() * 0.1)) / 1000) * 1000;
        const offer = await post(buyer, `/properties/${id}/offers`, { amount: { amount, currency: 'EUR' } });
        counts.offers += 1;
        if (Math.random() < 0.5) {
          const offerId = offer.offerId as string;
          const accepted = await post(lister, `/properties/${id}/offers/${offerId}/accept`, {});
          await people.ensureAccount(buyer, options.paymentApi);
          await postPayment('ops1', `/accounts/${people.subject(buyer)}/deposits`, {
            amount: { amount, currency: 'EUR' },
          });
          // The accept's consistency token: the orchestrator waits until it has seen the acceptance.
          await postTransaction(
            buyer,
            '/transactions',
            { propertyId: id, offerId },
            { 'X-Consistency-Token': accepted.consistencyToken as string },
          );
          counts.sold += 1;
        }
      }
    };
    let next = 0;
    const progress = setInterval(
      () => process.stdout.write(`\rdemo: ${counts.listed}/${total} listed…`),
      500,
    );
    try {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < total; i = next++) await seedOne(i);
        }),
      );
    } finally {
      clearInterval(progress);
    }
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    console.log(
      `\rdemo: ${counts.listed} listed, ${counts.priceCuts} price cuts, ${counts.offers} offers, ${counts.sold} purchases started, ${counts.withdrawn} withdrawn in ${seconds} s`,
    );
    console.log('try: curl "localhost:3002/search/properties?city=Utrecht&minBedrooms=3&sort=price"');
    console.log('     curl "localhost:3003/analytics/markets/amsterdam"');
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`\ndemo: ${messageOf(error)}`);
  process.exit(1);
});
