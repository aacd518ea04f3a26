/**
 * `pipetune dashboard` as a user runs it: the CLI process serves a study, a real headless Chromium
 * opens it, and a trial appended to the store while the page is open appears without a reload.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, type OpenPage, openPage } from '../helpers/browser.js';
import { pipetuneSync } from '../helpers/cli.js';
import { CLI } from '../helpers/temporal.js';
import { makeStudy, manifest, tempDir, trial } from '../results/fixtures.js';

const records = [
  trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { a: 0.5 }, score: 0.4 }),
  ...Array.from({ length: 6 }, (_, i) =>
    trial({ trial: i + 1, iteration: i + 1, params: { a: i / 6 }, score: 0.42 + i / 100 }),
  ),
];

/** Starts the dashboard and resolves with the URL it prints. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'dashboard', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const url = /(http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr!.on('data', (chunk) => {
      err += chunk;
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${err}`)));
  });
}

describeWithBrowser('pipetune dashboard', () => {
  let outputDir: string;
  let server: { child: ChildProcess; url: string };
  let browser: OpenPage;

  beforeAll(async () => {
    outputDir = join(await tempDir('pipetune-dashboard-'), 'output', 'sdg-mot.yml_output');
    await makeStudy(outputDir, manifest(), records);
    server = await serve([outputDir, '--port', '0', '--temporal-ui', 'http://127.0.0.1:8233/']);
    browser = await openPage();
  });
  afterAll(async () => {
    await browser?.browser.close();
    server?.child.kill('SIGTERM');
  });

  it('listens on loopback only by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('shows the study, links trials to the workflow, and shows a trial that lands without a reload', async () => {
    const { page, errors } = browser;
    await page.goto(server.url, { waitUntil: 'load' });
    const rows = () => page.$$eval('tr[data-trial]', (trs) => trs.map((tr) => tr.getAttribute('data-trial')));
    expect(await rows()).toEqual(['6', '5', '4', '3', '2', '1', '0']);
    const link = await page.$eval('tr[data-trial="3"] a', (a) => a.getAttribute('href'));
    expect(link).toBe('http://127.0.0.1:8233/namespaces/default/workflows/pipetune-sdg-mot/history');
    expect(await page.$$eval('figure svg', (svgs) => svgs.length)).toBeGreaterThanOrEqual(3);
    // A marker on the page survives only if the page is not reloaded.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const landed = trial({ trial: 7, iteration: 7, params: { a: 0.9 }, score: 0.61 });
    await appendFile(join(outputDir, 'trials.jsonl'), `${JSON.stringify(landed)}\n`);
    await page.waitForSelector('tr[data-trial="7"]', { timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await page.$eval('#trial-count', (p) => p.textContent)).toContain('8 trials');
    expect(await page.evaluate(() => document.body.innerText)).toContain('61.000');
    expect(errors).toEqual([]);
  });

  it('is read-only: no file of the study changes, and other methods are refused', async () => {
    const response = await fetch(server.url, { method: 'POST' });
    expect(response.status).toBe(405);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(outputDir)).sort()).toEqual(['checkpoints', 'study.json', 'trials.jsonl']);
  });
});

it('refuses a bad port and a study that does not exist, in one line', async () => {
  const missing = pipetuneSync(['dashboard', '/nowhere/at/all', '--port', '0']);
  expect(missing.code).toBe(2);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  expect(missing.stderr).toMatch(/\/nowhere\/at\/all: not a study output folder/);
  const badPort = pipetuneSync(['dashboard', '--port', 'x']);
  expect(badPort.code).toBe(2);
  expect(badPort.stderr).toMatch(/--port: expected an integer/);
});
