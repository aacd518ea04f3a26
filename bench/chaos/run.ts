/**
 * Chaos benchmark: `--runs` studies, each with `--kills` SIGKILLs of the server, the control worker, a
 * GPU worker or the CLI at random moments (each restarted), then the checks of chaos.ts.
 *   npm run build && node dist/bench/chaos/run.js [--runs 20] [--kills 18] [--iterations 50] [--seed 1] [--staged]
 *     [--docker [--image pipetune-test/node:1]]
 * `--staged`: trials run in 2 stages and ASHA prunes between them; every stage must be scored once.
 * `--docker`: trials run in containers of a local image (scripts/setup-docker.sh builds the default);
 * none may be left afterwards and no trial may have two running at once.
 * Prints one line per run and the totals; exits 1 when any run is stuck, lost, duplicated or unreplayable.
 */
import { Runtime } from '@temporalio/worker';
import { numberFlag, parseCommandArgs } from '../../src/cli/args.js';
import { InputError } from '../../src/errors.js';
import { dockerClient, dockerFailure } from '../../src/pipelines/docker.js';
import { workerLogger } from '../../src/worker/logger.js';
import { runChaos } from './chaos.js';

// The replay check runs SDK workers here: their state changes are not news.
Runtime.install({ logger: workerLogger() });

/** The flags, checked; a bad one (or Docker not ready for --docker) ends the run with one line. */
async function flags() {
  const { values } = parseCommandArgs(
    'bench/chaos',
    process.argv.slice(2),
    {
      runs: { type: 'string' },
      kills: { type: 'string' },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      staged: { type: 'boolean' },
      docker: { type: 'boolean' },
      image: { type: 'string' },
    },
    false,
  );
  if (values.image !== undefined && !values.docker)
    throw new InputError('bench/chaos: --image needs --docker');
  const dockerImage = values.docker ? (values.image ?? 'pipetune-test/node:1') : undefined;
  if (dockerImage) await dockerReady(dockerImage);
  return {
    runs: numberFlag('runs', values.runs, 20, { integer: true, min: 1 }),
    kills: numberFlag('kills', values.kills, 18, { integer: true, min: 0 }),
    iterations: numberFlag('iterations', values.iterations, 50, { integer: true, min: 1 }),
    seed: numberFlag('seed', values.seed, 1, { integer: true, min: 0 }),
    staged: values.staged === true,
    dockerImage,
  };
}

async function dockerReady(image: string): Promise<void> {
  try {
    await dockerClient().getImage(image).inspect();
  } catch (err) {
    // Test images are not pulled but built here.
    throw new InputError(
      `bench/chaos --docker: ${dockerFailure(err, { image, argv: [] }).message} (test images: scripts/setup-docker.sh)`,
    );
  }
}

const options = await flags().catch((err: Error) => {
  if (!(err instanceof InputError)) throw err;
  console.error(err.message);
  process.exit(2);
});
const { runs, kills, iterations, seed, dockerImage } = options;

let failed = 0;
let killsDone = 0;
const started = Date.now();
for (let run = 1; run <= runs; run++) {
  const report = await runChaos({
    kills,
    iterations,
    gapMs: [1_000, 4_000],
    stuckAfterMs: 300_000,
    seed: seed * 1000 + run,
    staged: options.staged,
    dockerImage,
  });
  const total = Object.values(report.kills).reduce((a, b) => a + b, 0);
  killsDone += total;
  if (report.problems.length) failed++;
  const byComponent = Object.entries(report.kills)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  console.log(
    `run ${String(run).padStart(2)}: ${report.problems.length ? 'FAIL' : 'ok  '} ${total} kills (${byComponent}); ` +
      `${report.trialsRecorded}/${report.trialsExpected} trials; ` +
      `${report.containers === undefined ? '' : `${report.containers} containers; `}${(report.wallMs / 1000).toFixed(0)} s`,
  );
  for (const problem of report.problems) console.log(`        ${problem} (${report.root})`);
}
console.log(
  `\n${runs - failed}/${runs} runs passed, ${killsDone} kills survived, ${((Date.now() - started) / 60_000).toFixed(1)} min`,
);
process.exitCode = failed ? 1 : 0;
