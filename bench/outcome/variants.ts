/**
 * One-key-at-a-time variants of the detection-file tracker config, scored (HOTA/MOTA/IDF1) on the
 * tuning and held-out seqmaps of both sample studies. The tracker defaults of docs/real-data.md were
 * chosen on the two tuning columns only.
 *
 *   bash scripts/mot-data.sh ../shared/data && npx tsc -p tsconfig.json
 *   node dist/bench/outcome/variants.js '{"default":[],"shadow":[["TargetManagement","outputShadowTracks",1]]}'
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits } from '../../src/overlay/index.js';
import { runPipeline } from '../../src/pipelines/builtin/runner.js';
import { scoreFolder } from './score.js';

const SETS = [
  ['data/MOT15', 'configs/seqmaps/mot15-tune.txt', 'MOT15'],
  ['data/MOT17', 'configs/seqmaps/mot17-tune.txt', 'MOT17'],
  ['data/MOT15', 'configs/seqmaps/mot15-heldout.txt', 'MOT15'],
  ['data/MOT17', 'configs/seqmaps/mot17-heldout.txt', 'MOT17'],
] as const;
const TRACKER = 'configs/config_Tracker/config_tracker_detfile.yml';
const PGIE = 'configs/config_PGIE/config_infer_primary_detfile.txt';

/** name → [[section, key, value], …] */
const variants = JSON.parse(process.argv[2] ?? '{"default":[]}') as Record<
  string,
  [string, string, number][]
>;
process.stdout.write(
  `| Variant | ${SETS.map(([, seqmap]) => seqmap.replace(/.*\//, '').replace('.txt', '')).join(' | ')} |\n`,
);
process.stdout.write(`|---|${SETS.map(() => '---').join('|')}|\n`);
for (const [name, edits] of Object.entries(variants)) {
  const dir = mkdtempSync(join(tmpdir(), 'pipetune-variant-'));
  const tracker = join(dir, 'tracker.yml');
  const locations = edits.map(([section, key, value]) => ({ location: [section, key], value }));
  writeFileSync(tracker, applyEdits('yaml', readFileSync(TRACKER, 'utf8'), TRACKER, locations));
  const cells: string[] = [];
  for (const [dataset, seqmap, benchmark] of SETS) {
    const out = join(dir, `out-${cells.length}`);
    await runPipeline({ dataset, seqmap, out, tracker, pgie: PGIE });
    const s = scoreFolder(dataset, seqmap, benchmark, out);
    cells.push(`${s.HOTA.toFixed(1)} / ${s.MOTA.toFixed(1)} / ${s.IDF1.toFixed(1)}`);
  }
  process.stdout.write(`| ${name} | ${cells.join(' | ')} |\n`);
}
