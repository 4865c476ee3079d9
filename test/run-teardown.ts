import { failOnLateRejections } from './support/late-rejections';

/** Global teardown of every jest run: fails it if a promise rejection went unhandled. */
export default function runTeardown(): void {
  failOnLateRejections();
}
