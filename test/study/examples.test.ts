// The examples for other systems run (issue 18, item 13): examples/trigger.ts (@temporalio/client) and
// examples/temporal-cli.sh (the Temporal CLI), against a real server with pipetune's workers; and the
// committed JSON Schema of the workflow input is the one the zod schema gives.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowInputJsonSchema } from '../../src/study/input.js';
import { ensureTemporalCli } from '../../src/temporal/install.js';
import { fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, REPO, runCli, startTestServer } from '../helpers/temporal.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
const workers: CliRun[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const args of [['--control'], ['--gpu', '0', ...ALLOW_NODE]]) {
    const worker = runCli(['worker', ...args], { TEMPORAL_ADDRESS: server.address });
    await worker.waitFor(/polling on/);
    workers.push(worker);
  }
});

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exit));
  await server.stop();
});

const shrink = (yaml: string) => yaml.replaceAll('max_iteration: 5', 'max_iteration: 1');

describe('examples for other systems', () => {
  it('docs/workflow-input.schema.json is current (npm run schema writes it)', () => {
    const committed = JSON.parse(readFileSync(path.join(REPO, 'docs/workflow-input.schema.json'), 'utf8'));
    expect(committed).toEqual(workflowInputJsonSchema());
  });

  it('examples/trigger.ts runs a study to its end, into the folder tune --name would use', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'viats');
    const run = spawnSync(
      process.execPath,
      [path.join(REPO, 'dist/examples/trigger.js'), config, root, 'viats'],
      {
        encoding: 'utf8',
        env: { ...process.env, TEMPORAL_ADDRESS: server.address },
        timeout: 150_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('started pipetune-viats');
    expect(await readRecords(output)).toHaveLength(3);
  });

  it('examples/temporal-cli.sh runs a study to its end', { timeout: 180_000 }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'viacli');
    const run = spawnSync('bash', [path.join(REPO, 'examples/temporal-cli.sh'), config, root, 'viacli'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        PIPETUNE_TEMPORAL_CLI: await ensureTemporalCli(),
      },
      timeout: 150_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(await readRecords(output)).toHaveLength(3);
  });
});
