/**
 * One small synthetic evaluation through the same functions as a real one, run once per process
 * before the first real one. V8 optimises a hot loop with the type feedback gathered so far: a branch
 * that has not run yet when it compiles (a 17-digit coordinate, a negative field, a transposed or tied
 * assignment, a distractor match, a field converted as text) deoptimises it when it first runs, and
 * every function it was inlined into, which then run unoptimised until recompiled. MOT17's ground truth (short integers) is parsed
 * before any tracker file, and its first frames rarely need the assignment solver, so without this the
 * first evaluation paid ~30 such deoptimisations. The synthetic data only has to reach every branch.
 */
import { evaluateSequence, METRIC_NAMES, metricsBlock } from './metrics.js';
import { parseGroundTruth, parseTrackerOutput } from './motFiles.js';
import { prepareSequence } from './preprocess.js';

const FRAMES = 60;

/** Ground truth and tracker text: crowded frames, overlapping and identical boxes, id switches. */
function syntheticFiles(): { gt: string; tracker: string } {
  let seed = 12345;
  const random = () => {
    seed = Math.imul(seed, 48271) % 2147483647;
    return (seed >>> 0) / 2147483647;
  };
  const gt: string[] = [];
  const tracker: string[] = [];
  for (let frame = 1; frame <= FRAMES; frame++) {
    const people = frame % 13 === 0 ? 0 : 2 + (frame % 6);
    for (let id = 1; id <= people; id++) {
      const x = 30 * id + frame;
      const cls = id % 4 === 0 ? 7 : id === 5 ? 2 : 1; // static persons, persons on vehicles
      const visibility = id === 3 ? '2.6772e-05' : `0.${id}5`; // MOT17's gt has a few exponents
      gt.push(`${frame},${id},${x},${40 + 3 * id},40,90,${id === 6 ? 0 : 1},${cls},${visibility}`);
    }
    if (frame % 11 === 0) continue; // a frame without tracker boxes
    const boxes = frame % 13 === 0 ? 3 : people + (frame % 3) - 1; // fewer or more than the gt rows
    for (let b = 1; b <= boxes; b++) {
      const id = frame % 7 === 0 ? (b % boxes) + 1 : b; // id switches
      const shift = b === 2 && frame % 5 === 0 ? 0 : random() * 24 - 12; // 2 can copy 1's box: ties
      const x = 30 * Math.min(b, people) + frame + (b > people ? 7 : shift);
      const y = 40 + 3 * b - random() * 5;
      const confidence = b === 1 ? '9007199254740993' : '-1'; // an exact tie: converted as text
      tracker.push(
        `${frame},${id}.0,${x.toPrecision(17)},${y.toPrecision(16)},${(40 + random()).toPrecision(17)},90.5,${confidence},-1,-1,-1`,
      );
    }
  }
  return { gt: `${gt.join('\n')}\n`, tracker: `${tracker.join('\r\n')}\r\n` };
}

let warm = false;

/** Run the synthetic evaluation, once per process. */
export function warmUp(): void {
  if (warm) return;
  warm = true;
  const { gt, tracker } = syntheticFiles();
  const data = prepareSequence(
    parseGroundTruth(gt, 'warm-up gt', FRAMES),
    parseTrackerOutput(tracker, 'warm-up tracker', FRAMES),
    FRAMES,
    'MOT17',
  );
  metricsBlock(evaluateSequence(data, METRIC_NAMES));
}
