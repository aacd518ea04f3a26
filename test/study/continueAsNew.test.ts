/** A long study continues as new (history limit forced low) without losing or repeating a trial. */
import { expect, it } from 'vitest';
import { csvRows, duplicates, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';

it('continues as new when the server suggests it, keeping every trial exactly once', {
  timeout: 180_000,
}, async () => {
  const server = await startTestServer({ dynamicConfig: ['limit.historyCount.suggestContinueAsNew=40'] });
  const env = { TEMPORAL_ADDRESS: server.address };
  const procs: CliRun[] = [
    runCli(['worker', '--control'], env),
    runCli(['worker', '--gpu', '0', ...ALLOW_NODE], env),
  ];
  try {
    await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
    const { config, root, output } = await fixtureRoot(
      (y) => y.replace(/max_iteration: 5/g, 'max_iteration: 8').replace(/batch_size: 2/g, 'batch_size: 1'),
      'longrun',
    );
    const tune = runCli(['tune', config, '--root', root, '--name', 'longrun'], env);
    const { code } = await tune.exit;
    expect(code, tune.output()).toBe(0);

    const runs = [];
    for await (const execution of server.client.workflow.list({ query: `WorkflowId = 'pipetune-longrun'` }))
      runs.push(execution);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.filter((r) => r.status.name === 'CONTINUED_AS_NEW').length).toBe(runs.length - 1);

    const records = await readRecords(output);
    expect(duplicates(records)).toEqual([]);
    expect(records).toHaveLength(17);
    expect(await csvRows(output)).toHaveLength(17);
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    await server.stop();
  }
});
