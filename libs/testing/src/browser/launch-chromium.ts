import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's chromium package: the browser tests drive the system's Chromium, never a downloaded build. */
const CHROMIUM_PATH = '/usr/bin/chromium';

/** No sandbox (tests run as root in a container), no GPU, and nothing that calls home while a test runs. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Headless Chromium for a browser test; `args` adds flags of the test's own (an autoplay policy, say).
 * Fails with how to install Chromium when it is missing, so call it before any slow setup.
 */
export async function launchChromium(options: { args?: string[] } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests`,
    );
  // Loaded here rather than at the top: playwright-core takes seconds to import and only browser tests need it.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
  });
}
