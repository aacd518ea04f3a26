// Two `tune`s of different studies in one root share the root's embedded server (TEMPORAL_ADDRESS unset),
// so each CLI's in-process GPU worker also runs the other study's trials: both must complete, the first
// to end must not stop the server under the other, and the last one stops it.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { freePort } from '../../src/temporal/devServer.js';
import { fixtureRoot, readRecords } from '../helpers/study.js';
import { runCli } from '../helpers/temporal.js';

it('two studies with different programs run side by side on one embedded server and both complete', {
  timeout: 300_000,
}, async () => {
  const { config, root } = await fixtureRoot((y) => y.replaceAll('max_iteration: 5', 'max_iteration: 2'));
  // The same fake pipeline behind another program (sh), and more trials, so it outlasts the first study.
  const other = path.join(root, 'other.yml');
  await writeFile(
    other,
    (await readFile(path.join(root, 'study.yml'), 'utf8'))
      .replace(
        'command: [node, fake-pipeline.mjs,',
        `command: [sh, -c, 'exec node fake-pipeline.mjs "$@"', sh,`,
      )
      .replaceAll('max_iteration: 2', 'max_iteration: 5'),
  );
  const env = {
    TEMPORAL_ADDRESS: undefined,
    PIPETUNE_TEMPORAL_PORT: String(await freePort()),
    PIPETUNE_TEMPORAL_UI_PORT: String(await freePort()),
    FAKE_SLEEP_MS: '400',
  };
  const first = runCli(['tune', config, '--root', root, '--name', 'first'], env);
  await first.waitFor(/workflow pipetune-first on/);
  const second = runCli(['tune', other, '--root', root, '--name', 'second'], env);

  expect((await first.exit).code, first.output()).toBe(0);
  // The server the first CLI started still runs for the second study.
  expect(existsSync(path.join(root, '.pipetune', 'server.json'))).toBe(true);
  expect((await second.exit).code, second.output()).toBe(0);
  for (const cli of [first, second]) expect(cli.output()).not.toMatch(/not allowed|does not answer|lost/);
  expect(await readRecords(path.join(root, 'output', 'first_output'))).toHaveLength(5);
  expect(await readRecords(path.join(root, 'output', 'second_output'))).toHaveLength(11);
  // The last CLI out stopped it.
  expect(existsSync(path.join(root, '.pipetune', 'server.json'))).toBe(false);
});
