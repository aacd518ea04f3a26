import { InputError } from '../../errors.js';
import { runPipeline } from '../../pipelines/builtin/runner.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune run-pipeline --dataset DIR --out DIR [options]

The built-in CPU perception pipeline: detector post-processing → tracker → MTMC.
Writes <out>/<seq>.txt (MOT format) per sequence, and <out>/mtmc.txt when --mtmc is given.

  --dataset DIR       sequence folders: <seq>/seqinfo.ini and proposals/ or det/det.txt
  --seqmap FILE       sequences to run (first line "name"); default: every sequence folder
  --out DIR           output folder
  --pgie FILE         nvinfer-style INI (default configs/config_PGIE/config_infer_primary_builtin.txt);
                      applies to raw proposals; det/det.txt sequences skip this stage
  --tracker FILE      tracker YAML (default configs/config_Tracker/config_tracker_builtin.yml)
  --mtmc FILE         MTMC JSON: runs multi-camera clustering
  --calibration FILE  calibration.json for MTMC (default <dataset without _videos>_utils/calibration.json)
  -h, --help          this text
`;

const OPTIONS = {
  dataset: { type: 'string' },
  seqmap: { type: 'string' },
  out: { type: 'string' },
  pgie: { type: 'string' },
  tracker: { type: 'string' },
  mtmc: { type: 'string' },
  calibration: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('run-pipeline', argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.dataset || !values.out)
    throw new InputError(
      'pipetune run-pipeline: --dataset and --out are required (see pipetune run-pipeline --help)',
    );
  const started = Date.now();
  await runPipeline({
    dataset: values.dataset,
    seqmap: values.seqmap,
    out: values.out,
    pgie: values.pgie,
    tracker: values.tracker,
    mtmc: values.mtmc,
    calibration: values.calibration,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const cpu = process.cpuUsage();
  process.stdout.write(
    `run-pipeline: done in ${((Date.now() - started) / 1000).toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)\n`,
  );
  return 0;
}
