/**
 * Does tuning carry over to unseen real sequences? For each sample study (real public detections with
 * a held-out split): public trackers with their defaults (SORT, ByteTrack, OC-SORT; ± gap interpolation;
 * MOT15 ± score rescaling) and pipetune's default config, scored on the held-out sequences; then, per
 * seed, a search on the tuning sequences in process (the study's optimizer and space, baseline first),
 * the best config chosen by each objective of src/eval/sequenceObjective.ts, re-scored held out.
 *
 *   bash scripts/mot-data.sh ../shared/data && npx tsc -p tsconfig.json
 *   node dist/bench/outcome/run.js [--configs configs/mot15-builtin.yml,configs/mot17-builtin.yml]
 *     [--seeds 1,2,3] [--budget 80] [--search combined|sequence-mean|sequence-min] [--json outcome.json]
 *
 * Peers run from a git-ignored venv (bench/.cache/peers) this script creates with pip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadStudyConfig, originalParams } from '../../src/config/index.js';
import type { StudyConfig } from '../../src/config/types.js';
import { OBJECTIVES, type Objective, objectiveValue } from '../../src/eval/sequenceObjective.js';
import { suggestTagged } from '../../src/optimizers/index.js';
import type { Params, Trial } from '../../src/space/types.js';
import { interpolateFolder, type Scores, scoreFolder, scoreParams } from './score.js';

const VENV = join('bench', '.cache', 'peers');
const PYTHON = join(VENV, 'bin', 'python');
/** numpy < 2: the packaged OC-SORT calls float() on 1-element arrays. */
const PEER_PACKAGES = ['numpy<2', 'scipy<1.14', 'filterpy', 'lap'];
const PEERS = ['sort-track', 'bytetracker', 'ocsort'];
/** ByteTrack's and OC-SORT's own interpolation fills gaps of up to 20 frames. */
const PEER_MAX_GAP = 20;

function ensurePeers(): void {
  if (existsSync(PYTHON)) return;
  execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '-q', ...PEER_PACKAGES], { stdio: 'inherit' });
  // Their pinned dependencies (torch, old scipy) are not needed to run them on numpy arrays.
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '-q', '--no-deps', ...PEERS], { stdio: 'inherit' });
}

const fmt = (s: Scores) => `${s.HOTA.toFixed(1)} | ${s.MOTA.toFixed(1)} | ${s.IDF1.toFixed(1)}`;
const work = (label: string) => mkdtempSync(join(tmpdir(), `pipetune-outcome-${label}-`));

interface PeerRow {
  tracker: string;
  scores: string;
  interpolation: boolean;
  heldOut: Scores;
}

function runPeers(config: StudyConfig, heldOut: string): PeerRow[] {
  const rows: PeerRow[] = [];
  const rescales = config.exec.benchmark === 'MOT15' ? [null, 0.5] : [null];
  for (const tracker of ['sort', 'bytetrack', 'ocsort']) {
    for (const rescale of rescales) {
      const out = work(tracker);
      const args = ['bench/outcome/peers.py', tracker, config.exec.datasetPath, heldOut, out];
      if (rescale !== null) args.push('--rescale', String(rescale));
      execFileSync(PYTHON, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      const scores = rescale === null ? 'as given' : `[${rescale}, 1] → [0, 1]`;
      const score = () => scoreFolder(config.exec.datasetPath, heldOut, config.exec.benchmark, out);
      rows.push({ tracker, scores, interpolation: false, heldOut: score() });
      interpolateFolder(out, heldOut, PEER_MAX_GAP);
      rows.push({ tracker, scores, interpolation: true, heldOut: score() });
    }
  }
  return rows;
}

interface Evaluated {
  params: Params;
  tune: Scores;
}

/** The study's search on its tuning sequences, in process: baseline first, then `budget` suggestions. */
async function search(
  config: StudyConfig,
  seed: number,
  budget: number,
  objective: Objective,
): Promise<Evaluated[]> {
  const optimizer = config.bbo.optimizers[0]!.name;
  const trials: Trial[] = [];
  const evaluated: Evaluated[] = [];
  const run = async (params: Params, by: string) => {
    const tune = await scoreParams(config, config.exec.seqmapPath, work('trial'), params);
    evaluated.push({ params, tune });
    const score = objectiveValue(objective, tune.HOTA, Object.values(tune.perSequence));
    trials.push({ params, score: score / 100, optimizer: by });
  };
  await run(originalParams(config), 'baseline');
  for (let k = 0; k < budget; k++) {
    const [next] = suggestTagged(optimizer, {
      space: config.space,
      trials,
      pending: [],
      n: 1,
      seed: seed * 1000 + k,
      minimize: false,
      budget,
    });
    await run(next!.params, `${optimizer}:${next!.by}`);
  }
  return evaluated;
}

function choose(evaluated: Evaluated[], objective: Objective): Evaluated {
  const value = (e: Evaluated) => objectiveValue(objective, e.tune.HOTA, Object.values(e.tune.perSequence));
  return evaluated.reduce((best, e) => (value(e) > value(best) ? e : best));
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      configs: { type: 'string', default: 'configs/mot15-builtin.yml,configs/mot17-builtin.yml' },
      seeds: { type: 'string', default: '1,2,3' },
      budget: { type: 'string', default: '80' },
      json: { type: 'string' },
      // What the search optimises (as the study's Eval.objective); the selection table compares all three.
      search: { type: 'string', default: 'combined' },
    },
  });
  ensurePeers();
  const searchObjective = flags.search as Objective;
  if (!OBJECTIVES.includes(searchObjective))
    throw new Error(`--search ${flags.search}: expected one of ${OBJECTIVES.join(', ')}`);
  const seeds = flags.seeds.split(',').map(Number);
  const budget = Number(flags.budget);
  const report: unknown[] = [];
  const lines: string[] = [];
  for (const file of flags.configs.split(',')) {
    const { config } = await loadStudyConfig(file);
    const heldOut = config.exec.validationSeqmapPath!;
    const peers = runPeers(config, heldOut);
    const defaultTune = await scoreParams(config, config.exec.seqmapPath, work('default'));
    const defaultHeld = await scoreParams(config, heldOut, work('default'));
    const bestPeer = peers.reduce((a, b) => (b.heldOut.HOTA > a.heldOut.HOTA ? b : a));
    lines.push(`\n### ${file}: held-out ${heldOut}\n`);
    lines.push('| Tracker | Scores | Interpolation | HOTA | MOTA | IDF1 |', '|---|---|---|---|---|---|');
    for (const p of peers)
      lines.push(
        `| ${p.tracker} | ${p.scores} | ${p.interpolation ? `≤ ${PEER_MAX_GAP}` : 'no'} | ${fmt(p.heldOut)} |`,
      );
    lines.push(`| pipetune default | as given | base config | ${fmt(defaultHeld)} |`);
    lines.push(
      '',
      `Tuned (${config.bbo.optimizers[0]!.name} × ${budget} optimising ${searchObjective} HOTA, baseline first; tuning HOTA ${defaultTune.HOTA.toFixed(1)} at the default). Gap = gain on the tuning sequences − gain held out.`,
      '',
      '| Seed | Objective | Tuning HOTA | Held-out HOTA | MOTA | IDF1 | Gap | vs best peer (HOTA) |',
      '|---|---|---|---|---|---|---|---|',
    );
    const runs = [];
    for (const seed of seeds) {
      const evaluated = await search(config, seed, budget, searchObjective);
      for (const objective of OBJECTIVES) {
        const chosen = choose(evaluated, objective);
        const held = await scoreParams(config, heldOut, work('held'), chosen.params);
        const gap = chosen.tune.HOTA - defaultTune.HOTA - (held.HOTA - defaultHeld.HOTA);
        lines.push(
          `| ${seed} | ${objective} | ${chosen.tune.HOTA.toFixed(1)} | ${fmt(held)} | ${gap.toFixed(1)} | ${(held.HOTA - bestPeer.heldOut.HOTA).toFixed(1)} |`,
        );
        runs.push({ seed, objective, params: chosen.params, tune: chosen.tune, heldOut: held });
      }
      process.stderr.write(`outcome: ${file} seed ${seed} done\n`);
    }
    report.push({ config: file, peers, defaultTune, defaultHeld, runs });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(report, null, 1)}\n`);
}

await main();
