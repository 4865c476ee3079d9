import { demoListing, roundedPrice } from './demo-market';
import type { DemoPost, LocalUsers } from './demo-api';

/** What the demo has done so far. */
export interface DemoCounts {
  listed: number;
  priceCuts: number;
  offers: number;
  sold: number;
  withdrawn: number;
}

/** Who the demo acts as and through which APIs. */
export interface DemoActors {
  people: LocalUsers;
  paymentApi: string;
  post: DemoPost;
  postPayment: DemoPost;
  postTransaction: DemoPost;
  counts: DemoCounts;
}

/**
 * The life of the `i`th listing: listed by the seller or the agent, its price cut now and
 * then, sometimes withdrawn, and otherwise often offered on, and half of those offers bought.
 */
export async function seedListing(demo: DemoActors, i: number): Promise<void> {
  const { body, price } = demoListing(i);
  const lister = i % 3 === 0 ? 'agent1' : 'seller1';
  const created = await demo.post(lister, '/properties', body);
  demo.counts.listed += 1;
  const id = created.id as string;
  let current = price;
  if (Math.random() < 0.35) {
    current = roundedPrice(current * (0.9 + Math.random() * 0.07));
    await demo.post(lister, `/properties/${id}/price`, { price: { amount: current, currency: 'EUR' } });
    demo.counts.priceCuts += 1;
  }
  if (Math.random() < 0.08) {
    await demo.post(lister, `/properties/${id}/withdraw`, { reason: 'owner changed plans' });
    demo.counts.withdrawn += 1;
    return;
  }
  if (Math.random() < 0.45) await offer(demo, { i, id, lister, current });
}

/** A buyer offers close to the asking price; half the time the seller accepts and the buyer buys. */
async function offer(
  demo: DemoActors,
  listing: { i: number; id: string; lister: string; current: number },
): Promise<void> {
  const { i, id, lister, current } = listing;
  const buyer = i % 2 === 0 ? 'buyer1' : 'buyer2';
  const amount = roundedPrice(current * (0.93 + Math.random() * 0.1));
  const offer = await demo.post(buyer, `/properties/${id}/offers`, { amount: { amount, currency: 'EUR' } });
  demo.counts.offers += 1;
  if (Math.random() < 0.5) {
    const offerId = offer.offerId as string;
    const accepted = await demo.post(lister, `/properties/${id}/offers/${offerId}/accept`, {});
    await buy(demo, {
      buyer,
      propertyId: id,
      offerId,
      amount,
      consistencyToken: accepted.consistencyToken as string,
    });
  }
}

/**
 * What a buyer does once the seller accepted: an operator funds the buyer's account (the
 * stand-in for a payment provider), and the buyer starts the purchase.
 */
async function buy(
  demo: DemoActors,
  purchase: { buyer: string; propertyId: string; offerId: string; amount: number; consistencyToken: string },
): Promise<void> {
  const { buyer, propertyId, offerId, amount } = purchase;
  await demo.people.ensureAccount(buyer, demo.paymentApi);
  await demo.postPayment('ops1', `/accounts/${demo.people.subject(buyer)}/deposits`, {
    amount: { amount, currency: 'EUR' },
  });
  // The accept's consistency token: the orchestrator waits until it has seen the acceptance.
  await demo.postTransaction(
    buyer,
    '/transactions',
    { propertyId, offerId },
    { 'X-Consistency-Token': purchase.consistencyToken },
  );
  demo.counts.sold += 1;
}
