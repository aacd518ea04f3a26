// The CLI's messages (issue 18, item 7): one `pipetune <command>:` prefix, unknown options quoted and
// matched to the nearest option, misspelt keys and parameter names named with a "did you mean",
// an unclosed `[` reported at its own line, a missing seqmap reported once, and no "does not exist"
// warnings about a sample dataset that `tune` is about to generate. All through the built CLI.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipetuneSync } from '../helpers/cli.js';
import { REPO } from '../helpers/temporal.js';

let root: string;
let sample: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pipetune-messages-'));
  await cp(join(REPO, 'configs'), join(root, 'configs'), { recursive: true });
  sample = await readFile(join(root, 'configs/sdg-mot.yml'), 'utf8');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function study(name: string, text: string): Promise<string> {
  const file = join(root, 'configs', name);
  await writeFile(file, text);
  return file;
}

const run = (args: string[]) => pipetuneSync(args, root, { TEMPORAL_ADDRESS: '' });

describe('CLI messages', () => {
  it('prefixes a command message once', () => {
    const status = run(['status']);
    expect(status.code).toBe(2);
    expect(status.stderr.split('\n')[0]).toBe('pipetune status: expected one study name');
  });

  it('quotes an unknown option, closes the quote, and suggests the nearest option', () => {
    expect(run(['status', 'x', '--bogus']).stderr).toBe(
      'pipetune status: unknown option "--bogus" (see pipetune status --help)\n',
    );
    expect(run(['check', 'x.yml', '--rot', '.']).stderr).toBe(
      'pipetune check: unknown option "--rot"; did you mean --root? (see pipetune check --help)\n',
    );
  });

  it('names a misspelt key next to the missing key it was meant to be', async () => {
    const file = await study('typo.yml', sample.replace('max_iteration: 15', 'max_iteraton: 15'));
    const check = run(['check', file]);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(
      `pipetune: ${file}: bbo.optimizers.type1.max_iteration: missing, expected a number (found "max_iteraton", misspelt?)\n`,
    );
    const extra = await study('extra.yml', sample.replace('  job_batch_size: 1', '  job_batch_sise: 1'));
    expect(run(['check', extra]).stderr).toContain(
      'pipetune: warning: bbo.job_batch_sise: unknown key, ignored; did you mean "job_batch_size"?\n',
    );
  });

  it('suggests the nearest key for a parameter that is not in the config file, and for render --params', async () => {
    const file = await study('param.yml', sample.replace('nms-iou-threshold:', 'nms-iou-treshold:'));
    expect(run(['check', file]).stderr).toContain(
      '(group [class-attrs-all] has no key "nms-iou-treshold"; did you mean "nms-iou-threshold"?)',
    );
    const params = join(root, 'params.json');
    await writeFile(params, JSON.stringify({ 'Tracker.TargetManagement.probationAag': 3 }));
    const render = run([
      'render',
      join(root, 'configs/sdg-mot.yml'),
      '--params',
      params,
      '--out',
      join(root, 'r'),
    ]);
    expect(render.code).toBe(2);
    expect(render.stderr).toContain(
      'pipetune: parameters: unknown parameter "Tracker.TargetManagement.probationAag"; did you mean "Tracker.TargetManagement.probationAge"?\n',
    );
  });

  it('points an unclosed [ at its own line', async () => {
    const file = await study(
      'unclosed.yml',
      sample.replace('probationAge: [0, 12, linear, int]', 'probationAge: [0, 12, linear, int'),
    );
    const line = sample.split('\n').findIndex((l) => l.includes('probationAge:')) + 1;
    expect(run(['check', file]).stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^pipetune: ${file}:${line}: not valid YAML: the "\\[" here is not closed \\(the parser stopped at line ${line + 1}: `,
      ),
    );
  });

  it('tune: generates a missing sample dataset without warning about it first; a missing seqmap is reported once', async () => {
    const file = await study(
      'noseq.yml',
      sample.replace('data/SDG_sample_utils/SDG_sample_all.txt', 'data/none.txt'),
    );
    const tune = run(['tune', file]);
    expect(tune.code).toBe(2);
    expect(tune.stdout.split('\n')[0]).toBe(
      'dataset data/SDG_sample_videos is missing: generating it with pipetune synth data/SDG_sample',
    );
    expect(tune.stderr).not.toContain('datasetPath');
    expect(tune.stderr.match(/data\/none\.txt/g)).toHaveLength(1);
    expect(tune.stderr).toContain('seqmapPath: data/none.txt does not exist; expected a seqmap');
  }, 180_000);
});
