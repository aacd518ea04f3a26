/** Small datasets written into a test's study root, for the data checks of `pipetune check`. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipetuneSync } from '../helpers/cli.js';
import { TRACKER } from './helpers.js';

/** MOT16/17/20 ground truth: 9 columns, a pedestrian and a static person (class 7, not evaluated). */
export const MOT17_GT = '1,1,10,10,20,40,1,1,1.0\n2,1,12,10,20,40,1,1,0.9\n1,2,50,10,20,40,0,7,1.0\n';
/** MOT15 (2D MOT 2015) ground truth: 10 columns, the last three world coordinates. */
export const MOT15_GT = '1,1,10,10,20,40,1,-1,-1,-1\n2,1,12,10,20,40,1,-3.25,16.3,0.4\n';

export function seqinfo(name: string, seqLength = 10, extra = ''): string {
  return `[Sequence]\nname=${name}\nseqLength=${seqLength}\n${extra}`;
}

export interface SequenceSpec {
  /** gt/gt.txt; default MOT17_GT; null: none. */
  gt?: string | null;
  /** seqinfo.ini; default a 10-frame one; null: none. */
  seqinfo?: string | null;
  /** More files, by path inside the sequence folder. */
  files?: Record<string, string>;
}

/** Files under `root`, by relative path. */
export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** `data/videos/<seq>/…` and the seqmap `data/utils/seqmap.txt` listing the sequences in order. */
export async function writeDataset(
  root: string,
  sequences: Record<string, SequenceSpec>,
  { dataset = 'data/videos', seqmap = 'data/utils/seqmap.txt' } = {},
): Promise<void> {
  const files: Record<string, string> = { [seqmap]: `name\n${Object.keys(sequences).join('\n')}\n` };
  for (const [name, spec] of Object.entries(sequences)) {
    const dir = `${dataset}/${name}`;
    if (spec.gt !== null) files[`${dir}/gt/gt.txt`] = spec.gt ?? MOT17_GT;
    if (spec.seqinfo !== null) files[`${dir}/seqinfo.ini`] = spec.seqinfo ?? seqinfo(name);
    for (const [path, text] of Object.entries(spec.files ?? {})) files[`${dir}/${path}`] = text;
  }
  await writeFiles(root, files);
}

/**
 * A single-camera study over the fixture tracker config, run by a `command` pipeline (which reads
 * nothing of the dataset itself), on `data/videos` with `data/utils/seqmap.txt`.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests rewrite arbitrary parts of the study tree
export function motStudy(exec: Record<string, unknown> = {}): Record<string, any> {
  return {
    parameter_space: {
      Init: {
        Exec: {
          trackerPath: TRACKER,
          datasetPath: 'data/videos',
          seqmapPath: 'data/utils/seqmap.txt',
          pipeline: 'command',
          command: ['node', 'pipeline.mjs', '{output}'],
          ...exec,
        },
      },
      NvDCF: { TargetManagement: { probationAge: [1, 10, 'linear', 'int'] } },
    },
    bbo: { optimizers: { type1: { name: 'random', max_iteration: 5 } } },
  };
}

/** `pipetune synth data/SDG_sample` in `root`, small: 2 cameras, 2 s at 5 fps. */
export function synthSample(root: string, cameras = 2): void {
  const args = ['synth', 'data/SDG_sample', '--cameras', String(cameras), '--seconds', '2', '--fps', '5'];
  const { code, stderr } = pipetuneSync(args, root);
  if (code !== 0) throw new Error(`pipetune synth failed: ${stderr}`);
}
