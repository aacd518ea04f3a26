import path from 'node:path';
import { loadStudyConfig } from '../../config/index.js';
import { InputError } from '../../errors.js';
import { STUDY_STATUS } from '../../study/searchAttributes.js';
import { rootPolicy } from '../../worker/policy.js';
import { resumeUpdate } from '../../workflows/messages.js';
import { parseCommandArgs } from '../args.js';
import { parseGpuList } from '../gpus.js';
import { followStudy, superviseStudy } from '../session.js';
import { describeStudy, startOrAttach, stopPending, studyNameFrom } from '../studyHandle.js';

const USAGE = `usage: pipetune resume <study> [--root DIR] [--gpus 0,1] [--keep-server]

Continues a paused, stopped or crashed study. With TEMPORAL_ADDRESS unset it restarts the embedded
server on the same database and the workers; a running study is un-paused and followed; a finished
one starts a new run that continues from its trial store. A stop requested earlier (e.g. while no
control worker ran) takes effect first; the study then continues in a new run.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('resume', argv, {
    root: { type: 'string' },
    gpus: { type: 'string' },
    'keep-server': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError(`pipetune resume: expected one study name\n${USAGE}`);
  const rootDir = path.resolve(values.root ?? process.cwd());
  const name = studyNameFrom(positionals[0]!);
  return superviseStudy({
    rootDir,
    keepServer: values['keep-server'] ?? false,
    locate: async (client) => {
      const { handle, description, study } = await describeStudy(client, name);
      const { config } = await loadStudyConfig(study.configPath, { root: study.rootDir });
      const running = description.status.name === 'RUNNING';
      return {
        outputDir: study.outputDir,
        policy: rootPolicy(study.rootDir),
        gpus: values.gpus
          ? parseGpuList('--gpus', values.gpus)
          : Array.from({ length: config.workers }, (_, i) => i),
        start: async () => {
          if (!running) return startOrAttach(client, study);
          const state = description.typedSearchAttributes.get(STUDY_STATUS);
          if (await stopPending(client, handle.workflowId, state)) {
            // The later request wins: let the stop end this run, then continue in a new one.
            process.stdout.write(
              `a stop requested earlier takes effect first (running trials finish); then study ${name} continues in a new run\n`,
            );
            await followStudy(handle, { quiet: true });
            return startOrAttach(client, study);
          }
          await handle.executeUpdate(resumeUpdate);
          return handle;
        },
      };
    },
  });
}
