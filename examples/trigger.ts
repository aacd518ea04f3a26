/**
 * Start (or attach to) a pipetune study from another system, with @temporalio/client only (and
 * @temporalio/envconfig for Temporal's standard connection settings: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE; docs/trust.md).
 *   node dist/examples/trigger.js <config.yml> <root-dir> [name]
 * Workers (`pipetune worker --control`, `pipetune worker --gpu N`) must be polling the same server.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

const [configArg, rootArg, nameArg] = process.argv.slice(2);
if (!configArg || !rootArg) {
  process.stderr.write('usage: node dist/examples/trigger.js <config.yml> <root-dir> [name]\n');
  process.exit(2);
}
const configPath = path.resolve(configArg);
const rootDir = path.resolve(rootArg);
const name = nameArg ?? path.basename(configPath).replace(/\.ya?ml$/, '');

// The workflow input is JSON (validated by the workflow's prepareStudy activity): see README "Other systems".
const input = {
  study: {
    name,
    configPath,
    rootDir,
    // Where `pipetune tune --name NAME` puts it (without a name: `<config file name>_output`).
    outputDir: path.join(rootDir, 'output', `${nameArg ? name : path.basename(configPath)}_output`),
  },
};

const settings = loadClientConnectConfig();
const connection = await Connection.connect({
  ...settings.connectionOptions,
  address: settings.connectionOptions.address ?? '127.0.0.1:7233',
});
const client = new Client({ connection, namespace: settings.namespace ?? 'default' });
const handle = await client.workflow.start('tuningStudy', {
  taskQueue: 'pipetune-control',
  workflowId: `pipetune-${name}`,
  args: [input],
  workflowIdConflictPolicy: 'USE_EXISTING',
  memo: input,
});
process.stdout.write(`started ${handle.workflowId} (run ${handle.firstExecutionRunId})\n`);
// The study's result once it ends (scores are fractions); `handle.query('status')` gives progress meanwhile.
const result = await handle.result();
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await connection.close();
