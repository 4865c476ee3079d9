import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { missingPackageLine, type SystemPackage } from './system-package';

/** Where Debian and others install Chromium; CHROMIUM_PATH overrides. */
const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
];

/** Debian's Chromium, which the console's browser tests drive (playwright-core downloads no browser). */
export const chromiumPackage: SystemPackage = {
  debianPackage: 'chromium',
  neededBy: 'test/console',
  find: () => candidates.find((path) => existsSync(path)),
};

/** Set by the jest global setup when it could not install Chromium: why, for the one-line failure. */
export const chromiumUnavailableVariable = 'DEEDSTREAM_CHROMIUM_UNAVAILABLE';

/**
 * The Chromium binary the browser tests drive: CHROMIUM_PATH, else the first one installed.
 * Throws one line naming what is missing and how to get it. A browser test calls this first,
 * before it starts anything, so a machine without Chromium fails that file at once.
 */
export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  const found = chromiumPackage.find();
  if (!found) {
    throw new Error(
      `${missingPackageLine(chromiumPackage, process.env[chromiumUnavailableVariable])}, or set CHROMIUM_PATH`,
    );
  }
  return found;
}

/** Headless Chromium through playwright-core (no browser download: the system's Chromium). */
export function launchChromium(executablePath: string = chromiumPath()): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    // Root (CI containers) cannot use Chromium's sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}
