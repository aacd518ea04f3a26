/**
 * What a search pays to read its study's trial store, as the store grows: a synthetic study of `--trials`
 * trials, then `--appends` times one more trial appended and the store read by `readTrialStore` (which
 * parses only the lines added since its last read) beside a whole parse of the same file (what every read
 * cost before). Prints the medians and their ratio.
 *
 *   npm run build && node dist/bench/orchestration/storeRead.js [--trials 2000] [--appends 20]
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberFlag, parseCommandArgs } from '../../src/cli/args.js';
import { parseTrialStore, readTrialStore } from '../../src/results/store.js';
import { studyLayout } from '../../src/study/layout.js';
import { makeSyntheticStudy } from '../results/syntheticStudy.js';
import { median } from './overhead.js';

const { values } = parseCommandArgs(
  'bench/orchestration/storeRead',
  process.argv.slice(2),
  { trials: { type: 'string' }, appends: { type: 'string' } },
  false,
);
const trials = numberFlag('trials', values.trials, 2000, { integer: true, min: 1 });
const appends = numberFlag('appends', values.appends, 20, { integer: true, min: 1 });

const dir = await mkdtemp(join(tmpdir(), 'pipetune-bench-store-'));
try {
  await makeSyntheticStudy(dir, trials);
  const file = studyLayout(dir).trials;
  const timed = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };
  const first = await timed(() => readTrialStore(dir));
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  const incremental: number[] = [];
  const whole: number[] = [];
  for (let k = 0; k < appends; k++) {
    const record = { ...JSON.parse(lines[1 + (k % (lines.length - 1))]!), key: `bench/${k}/0` };
    await appendFile(file, `${JSON.stringify({ ...record, trial: trials + k })}\n`);
    incremental.push(await timed(() => readTrialStore(dir)));
    whole.push(await timed(async () => parseTrialStore(await readFile(file, 'utf8'), file)));
  }
  const [inc, all] = [median(incremental), median(whole)];
  console.log(
    `trial store of ${trials} trials: first read ${first.toFixed(1)} ms; after each of ${appends} appends, ` +
      `readTrialStore ${inc.toFixed(2)} ms vs a whole parse ${all.toFixed(1)} ms (medians): ${(all / inc).toFixed(0)}× less`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
