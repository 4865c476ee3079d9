import { catchLateRejections } from './support/late-rejections';

/** Global setup of every jest run, whichever tiers it selects. */
export default function runSetup(): void {
  catchLateRejections();
}
