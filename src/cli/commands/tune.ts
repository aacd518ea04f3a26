import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { prepareAugmentedDataset } from '../../augment/study.js';
import { checkStudyData, loadStudyConfig, StudyConfigError, withoutSuperseded } from '../../config/index.js';
import { InputError } from '../../errors.js';
import { makeDirectory } from '../../outputFiles.js';
import { cliEntry } from '../../paths.js';
import { readStudyManifest } from '../../results/store.js';
import { defaultOutputDir, defaultStudyName, studyLayout } from '../../study/layout.js';
import { type StudyRef, studyWorkflowId } from '../../study/types.js';
import { rootPolicy } from '../../worker/policy.js';
import { numberFlag, parseCommandArgs } from '../args.js';
import { parseGpuList } from '../gpus.js';
import { progressBar } from '../progressBar.js';
import { superviseStudy } from '../session.js';
import { startOrAttach, studyOverview } from '../studyHandle.js';

const USAGE = `usage: pipetune tune <config.yml> [--root DIR] [--name NAME] [--output DIR] [--max-iterations N]
                     [--gpus 0,1] [--detach] [--keep-server]

Runs a tuning study. With TEMPORAL_ADDRESS unset, starts the embedded Temporal dev server
(<root>/.pipetune/temporal.db; UI on PIPETUNE_TEMPORAL_PORT + 1000, i.e. :8233 by default, or on
PIPETUNE_TEMPORAL_UI_PORT; its URL is printed) and the workers in this process. Re-running it for a
running study attaches to it. Ctrl+C stops after the running trials; a second Ctrl+C stops now.
  --root DIR           PipeTuner's rootPath: config paths are relative to it (default: working directory)
  --name NAME          study name (default: the config file name); the workflow id is pipetune-NAME
  --output DIR         output folder (default: <root>/output/<config file>_output, or
                       <root>/output/NAME_output with --name)
  --max-iterations N   override every optimizer's max_iteration
  --gpus LIST          GPU workers to start in process (default: servers.*.worker_number of them)
  --detach             start the study in the background and return
  --keep-server        leave the embedded server running at the end (to browse the UI)
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('tune', argv, {
    root: { type: 'string' },
    name: { type: 'string' },
    output: { type: 'string' },
    'max-iterations': { type: 'string' },
    gpus: { type: 'string' },
    detach: { type: 'boolean' },
    'keep-server': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(`pipetune tune: expected one study config, got ${positionals.length}\n${USAGE}`);
  const rootDir = path.resolve(values.root ?? process.cwd());
  const configPath = path.resolve(positionals[0]!);
  if (!existsSync(configPath)) throw new InputError(`${positionals[0]}: no such study config`);

  let { config, warnings } = await loadStudyConfig(configPath, { root: rootDir });
  // A generated sample dataset makes the loader's "does not exist" warnings moot: load again.
  if (ensureSampleDataset(config.exec.datasetPath, rootDir))
    ({ config, warnings } = await loadStudyConfig(configPath, { root: rootDir }));
  // The study's prepare step checks the data too; here a bad seqmap or benchmark stops before the start.
  const data = await checkStudyData(config);
  for (const warning of [...withoutSuperseded(warnings, data.problems), ...data.warnings])
    process.stderr.write(`pipetune: warning: ${warning}\n`);
  if (data.problems.length > 0) throw new StudyConfigError(config.file, data.problems);

  const study: StudyRef = {
    name: values.name ?? defaultStudyName(configPath),
    configPath,
    rootDir,
    outputDir: path.resolve(values.output ?? defaultOutputDir(rootDir, configPath, values.name)),
    ...(values['max-iterations']
      ? {
          maxIterations: numberFlag('max-iterations', values['max-iterations'], 0, { integer: true, min: 1 }),
        }
      : {}),
  };
  await refuseOtherStudysFolder(study);
  // An augmentation block: the augmented copy is made before the workflow starts, with a progress bar.
  const bar = progressBar('augment');
  if (await prepareAugmentedDataset(config, study.outputDir, bar.update)) bar.done();
  if (values.detach) return detach(argv, study);

  const gpus = values.gpus
    ? parseGpuList('--gpus', values.gpus)
    : Array.from({ length: config.workers }, (_, i) => i);
  return superviseStudy({
    rootDir,
    keepServer: values['keep-server'] ?? false,
    locate: async (client) => {
      await sayWhatTuneDoes(client, study);
      return {
        outputDir: study.outputDir,
        gpus,
        policy: rootPolicy(rootDir),
        start: () => startOrAttach(client, study, studyOverview(config, study)),
      };
    },
  });
}

/**
 * The built-in sample configs point at `data/<name>_videos`; on a fresh clone that dataset does not exist
 * yet, so it is generated (`pipetune synth data/<name>`) before the study starts.
 */
function ensureSampleDataset(datasetDir: string, rootDir: string): boolean {
  if (existsSync(datasetDir)) return false;
  const match = /^(.*)_videos$/.exec(path.basename(datasetDir));
  if (!match) throw new InputError(`datasetPath ${datasetDir}: no such folder`);
  const base = path.join(path.dirname(datasetDir), match[1]!);
  process.stdout.write(
    `dataset ${path.relative(rootDir, datasetDir)} is missing: generating it with pipetune synth ${path.relative(rootDir, base)}\n`,
  );
  const result = spawnSync(process.execPath, [cliEntry(), 'synth', base], { stdio: 'inherit' });
  if (result.status !== 0)
    throw new InputError(`synth ${base} failed (exit ${result.status ?? result.signal})`);
  return true;
}

/** Run this same command in the background (its output goes to the study's logs/tune.log). */
async function detach(argv: string[], study: StudyRef): Promise<number> {
  const logs = studyLayout(study.outputDir).logs;
  makeDirectory(logs, 'the study log folder');
  const logFile = path.join(logs, 'tune.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [cliEntry(), 'tune', ...argv.filter((a) => a !== '--detach')], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  process.stdout.write(`study ${study.name} started in the background (pid ${child.pid}); log: ${logFile}\n`);
  process.stdout.write(
    `follow it with: pipetune status ${study.name}${study.rootDir !== process.cwd() ? ` --root ${study.rootDir}` : ''}\n`,
  );
  return 0;
}

/** An output folder that holds another study's trial store is refused before anything starts. */
async function refuseOtherStudysFolder(study: StudyRef): Promise<void> {
  const manifest = studyLayout(study.outputDir).manifest;
  if (!existsSync(manifest)) return;
  const other = await readStudyManifest(study.outputDir).catch(() => undefined);
  if (other?.name === study.name) return;
  const holder = other ? `study "${other.name}"` : 'a study.json that is not readable';
  throw new InputError(
    `--output ${study.outputDir} holds ${holder}, not "${study.name}"; choose another output folder` +
      (other ? ` (or continue it with --name ${other.name})` : ''),
  );
}

/** A study name that already has a workflow: say whether this follows it or continues a finished one. */
async function sayWhatTuneDoes(client: Client, study: StudyRef): Promise<void> {
  const description = await client.workflow
    .getHandle(studyWorkflowId(study.name))
    .describe()
    .catch((err) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
  if (!description) return;
  const status = description.status.name;
  process.stdout.write(
    status === 'RUNNING'
      ? `study ${study.name} is already running: following it (pipetune stop ${study.name} stops it)\n`
      : `study ${study.name} ended earlier (${status}): this run continues it from the trials in ${study.outputDir}; give --name for a new study\n`,
  );
}
