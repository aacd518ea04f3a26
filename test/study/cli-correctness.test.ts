// Everyday CLI behaviour around a study (issue 18, items 5 and 8), against a real Temporal server with
// the CLI and the workers as separate processes.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { CONTROL_QUEUE, studyWorkflowId, WORKFLOW_TYPE } from '../../src/study/types.js';
import { freePort } from '../../src/temporal/devServer.js';
import { ensureEmbeddedServer, stopEmbeddedServer } from '../../src/temporal/embedded.js';
import { pipetuneSync } from '../helpers/cli.js';
import { fixtureRoot } from '../helpers/study.js';
import { ALLOW_NODE, runCli, serverWithWorkers } from '../helpers/temporal.js';

const rig = serverWithWorkers([['--control'], ['--gpu', '0', ...ALLOW_NODE]]);

const shrink = (yaml: string) => yaml.replaceAll('max_iteration: 5', 'max_iteration: 1');

describe('a study folder and a study name that are taken', () => {
  it('refuses an --output that holds another study before starting anything; tune on a finished study says it continues it', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'first');
    const first = runCli(['tune', config, '--root', root, '--name', 'first'], rig.env);
    expect((await first.exit).code, first.output()).toBe(0);

    const other = runCli(['tune', config, '--root', root, '--name', 'second', '--output', output], rig.env);
    const { code } = await other.exit;
    expect(code).toBe(2);
    expect(other.output()).toBe(
      `pipetune: --output ${output} holds study "first", not "second"; choose another output folder (or continue it with --name first)\n`,
    );
    await expect(
      rig.server.client.workflow.getHandle(studyWorkflowId('second')).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const again = runCli(['tune', config, '--root', root, '--name', 'first'], rig.env);
    await again.exit;
    expect(again.output()).toContain(
      `study first ended earlier (COMPLETED): this run continues it from the trials in ${output}; give --name for a new study\n`,
    );
  });
});

describe('check and the UI port', () => {
  it('check prints the validation seqmap', async () => {
    const { config, root } = await fixtureRoot((y) =>
      y.replace(
        '      seqmapPath: data/utils/seqmap.txt',
        '      seqmapPath: data/utils/seqmap.txt\n      validationSeqmapPath: data/utils/seqmap.txt',
      ),
    );
    const check = pipetuneSync(['check', config, '--root', root]);
    expect(check.stdout).toContain(
      'validation      seqmap data/utils/seqmap.txt (baseline and best configs re-run on it at the end)\n',
    );
  });

  it('the embedded server puts its UI on PIPETUNE_TEMPORAL_UI_PORT, and the URL it records answers', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pipetune-ui-'));
    const uiPort = await freePort();
    process.env.PIPETUNE_TEMPORAL_PORT = String(await freePort());
    process.env.PIPETUNE_TEMPORAL_UI_PORT = String(uiPort);
    const embedded = await ensureEmbeddedServer(root);
    try {
      expect(embedded.uiUrl).toBe(`http://127.0.0.1:${uiPort}`);
      const response = await fetch(embedded.uiUrl as string);
      expect(response.status).toBe(200);
    } finally {
      delete process.env.PIPETUNE_TEMPORAL_UI_PORT;
      delete process.env.PIPETUNE_TEMPORAL_PORT;
      await stopEmbeddedServer(root, embedded.pid);
      await rm(root, { recursive: true, force: true });
    }
    expect(existsSync(path.join(root, '.pipetune', 'rig.server.json'))).toBe(false);
  });
});

describe('status and list of ended studies, with and without a server (items 4 and 13)', () => {
  it('status of a finished study answers; without a server from the study folder; list shows the study start', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'ended');
    const tune = runCli(['tune', config, '--root', root, '--name', 'ended'], rig.env);
    expect((await tune.exit).code, tune.output()).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(output, 'study.json'), 'utf8'));

    const withServer = pipetuneSync(['status', 'ended', '--root', root], undefined, rig.env);
    expect(withServer.code).toBe(0);
    // A control worker polls here, so it answers the query of the ended study (no 5 s wait, no note).
    expect(withServer.stdout).toMatch(/^study ended: completed\nprogress: 100% \(3\/3\)/);

    // A second run of the same study (resume of a finished one) must not move "started".
    const again = runCli(['tune', config, '--root', root, '--name', 'ended'], rig.env);
    await again.exit;
    const listed = pipetuneSync(['list', '--json'], undefined, rig.env);
    const row = JSON.parse(listed.stdout).find((r: { study: string }) => r.study === 'ended');
    expect(row.started).toBe(manifest.createdAt);

    // No server for this root (TEMPORAL_ADDRESS unset, no embedded server): the study folder answers.
    const noServer = { TEMPORAL_ADDRESS: '' };
    const status = pipetuneSync(['status', 'ended', '--root', root], undefined, noServer);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(
        `^study ended: from its study folder; no Temporal server is running\nstarted ${manifest.createdAt}\n3 trials recorded, 0 failed; best \\d+\\.\\d{3} \\(trial \\d+\\)\noutput: ${output}\n$`,
      ),
    );
    const list = pipetuneSync(['list', '--root', root, '--json'], undefined, noServer);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        study: 'ended',
        state: 'study folder',
        trials: 3,
        started: manifest.createdAt,
      }),
    ]);
  });

  it('without a server, status and list read the embedded server database record (read-only) and the study folder', {
    timeout: 240_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'offline');
    const broken = path.join(root, 'broken.yml');
    await writeFile(
      broken,
      (await readFile(config, 'utf8')).replace('command: [node,', 'command: [no-such-pipeline-program,'),
    );
    // The embedded server of this root (TEMPORAL_ADDRESS unset), stopped by `tune` when the study ends.
    const embedded = {
      TEMPORAL_ADDRESS: '',
      PIPETUNE_TEMPORAL_PORT: String(await freePort()),
      PIPETUNE_TEMPORAL_UI_PORT: String(await freePort()),
    };
    const ok = runCli(['tune', config, '--root', root, '--name', 'offline'], embedded);
    expect((await ok.exit).code, ok.output()).toBe(0);
    const failing = runCli(['tune', broken, '--root', root, '--name', 'offline-broken'], embedded);
    expect((await failing.exit).code, failing.output()).toBe(1);
    const db = path.join(root, '.pipetune', 'temporal.db');
    const before = await readFile(db);

    const noServer = { TEMPORAL_ADDRESS: '' };
    const status = pipetuneSync(['status', 'offline', '--root', root], undefined, noServer);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(
        `^study offline: from the server's database record \\(${db}, read-only\\) and its study folder; no Temporal server is running\n` +
          'workflow pipetune-offline COMPLETED, completed; started \\S+; 1 run, last run ended \\S+\n' +
          `3 trials recorded, 0 failed; best \\d+\\.\\d{3} \\(trial \\d+\\)\noutput: ${output}\n$`,
      ),
    );
    const failed = pipetuneSync(['status', 'offline-broken', '--root', root], undefined, noServer);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /\nfailed: study stopped: the pipeline cannot run \(trial 0\): cannot run "no-such-pipeline-program": .*not found\n/,
    );

    const list = pipetuneSync(['list', '--root', root, '--json'], undefined, noServer);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          study: 'offline',
          workflow: 'pipetune-offline',
          status: 'COMPLETED',
          trials: 3,
        }),
        expect.objectContaining({ study: 'offline-broken', status: 'FAILED', state: 'failed' }),
      ]),
    );
    // Read, never written.
    expect((await readFile(db)).equals(before)).toBe(true);
  });

  it('status of a failed study prints the reason and exits 1', { timeout: 120_000 }, async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pipetune-failed-'));
    const study = {
      name: 'broken',
      configPath: path.join(root, 'none.yml'),
      rootDir: root,
      outputDir: path.join(root, 'out'),
    };
    const handle = await rig.server.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: CONTROL_QUEUE,
      workflowId: studyWorkflowId('broken'),
      args: [{ study }],
      memo: { study },
    });
    await handle.result().catch(() => undefined);
    const status = pipetuneSync(['status', 'broken'], undefined, rig.env);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^study broken: workflow FAILED, .*\n.*\n\(failed: .*none\.yml.*\)\n$/);
    await rm(root, { recursive: true, force: true });
  });
});

describe('studies started by other systems (item 13, CLI side)', () => {
  it('status finds a tuningStudy workflow by its own id, with no memo', { timeout: 180_000 }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'extname');
    const study = { name: 'extname', configPath: config, rootDir: root, outputDir: output };
    // Started as the Temporal CLI or another SDK would: any id, no memo.
    const handle = await rig.server.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: CONTROL_QUEUE,
      workflowId: 'ext42',
      args: [{ study }],
    });
    await handle.result();
    const status = pipetuneSync(['status', 'ext42'], undefined, rig.env);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^study extname: completed\nprogress: 100% \(3\/3\)/);
  });
});
