/**
 * Headless Chromium for the browser tests, driven by puppeteer-core: the system binary
 * (scripts/setup-browser.sh installs Debian's), never a downloaded one. Without it a suite is skipped
 * with the reason, except under CI, where it fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { describe, it } from 'vitest';

const inCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/** The Chromium binary: PIPETUNE_CHROMIUM, else `chromium` on PATH; undefined when there is none. */
export function chromiumPath(): string | undefined {
  if (process.env.PIPETUNE_CHROMIUM)
    return existsSync(process.env.PIPETUNE_CHROMIUM) ? process.env.PIPETUNE_CHROMIUM : undefined;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `describe`, or a skip (a failure under CI) when there is no Chromium. */
export function describeWithBrowser(name: string, body: () => void): void {
  if (chromiumPath() !== undefined) describe(name, body);
  else if (inCi) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error('CI requires Chromium: run scripts/setup-browser.sh');
      });
    });
  } else describe.skip(`${name} — skipped: no chromium on PATH (run scripts/setup-browser.sh)`, body);
}

export interface OpenPage {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions of the page, as they happen. */
  errors: string[];
}

/** A fresh headless browser with one page whose errors are collected. */
export async function openPage(width = 1280, height = 900): Promise<OpenPage> {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath()!,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${(error as Error).message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  return { browser, page, errors };
}
