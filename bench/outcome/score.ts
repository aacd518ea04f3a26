/**
 * Scoring for the outcome benchmark: the built-in pipeline with a study's rendered configs on some
 * real sequences, and TrackEval-equal metrics of a folder of tracker results (pipetune's or a peer's),
 * combined and per sequence.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { originalParams, render } from '../../src/config/index.js';
import type { Benchmark, StudyConfig } from '../../src/config/types.js';
import { evaluateMot, readSeqmap } from '../../src/eval/index.js';
import { interpolateGaps } from '../../src/pipelines/builtin/interpolation.js';
import { motText } from '../../src/pipelines/builtin/motWriter.js';
import { runPipeline } from '../../src/pipelines/builtin/runner.js';
import type { Tracks } from '../../src/pipelines/builtin/tracker.js';
import type { Params } from '../../src/space/types.js';

export interface Scores {
  HOTA: number;
  MOTA: number;
  IDF1: number;
  /** HOTA of each sequence. */
  perSequence: Record<string, number>;
}

export function scoreFolder(dataset: string, seqmap: string, benchmark: Benchmark, out: string): Scores {
  const report = evaluateMot({
    gtDir: dataset,
    trackerDir: out,
    seqmapPath: seqmap,
    benchmark,
    onWarning: () => {},
  });
  const c = report.combined.summary;
  const perSequence: Record<string, number> = {};
  for (const [name, block] of Object.entries(report.sequences)) perSequence[name] = 100 * block.summary.HOTA!;
  return { HOTA: 100 * c.HOTA!, MOTA: 100 * c.MOTA!, IDF1: 100 * c.IDF1!, perSequence };
}

/** The study's pipeline with `params` (default: the base configs' values) on the sequences of `seqmap`. */
export async function scoreParams(
  config: StudyConfig,
  seqmap: string,
  workDir: string,
  params: Params = originalParams(config),
): Promise<Scores> {
  const files = await render(config, params, join(workDir, 'configs'));
  const out = join(workDir, 'out');
  await runPipeline({
    dataset: config.exec.datasetPath,
    seqmap,
    out,
    pgie: files.pgie,
    tracker: files.tracker,
  });
  return scoreFolder(config.exec.datasetPath, seqmap, config.exec.benchmark, out);
}

/** A MOT result file (frame,id,left,top,width,height,…) as tracks sorted by frame, then id. */
function readTracks(path: string): Tracks {
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => line.split(',').map(Number))
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  return {
    count: rows.length,
    frame: Int32Array.from(rows, (r) => r[0]!),
    id: Int32Array.from(rows, (r) => r[1]!),
    left: col(2),
    top: col(3),
    width: col(4),
    height: col(5),
    confidence: col(6),
    embedding: new Int32Array(rows.length).fill(-1),
  };
}

/** Fills the gaps of every result file of `seqmap` in `dir`, in place (the peers' own post-processing). */
export function interpolateFolder(dir: string, seqmap: string, maxGap: number): void {
  for (const name of readSeqmap(seqmap)) {
    const path = join(dir, `${name}.txt`);
    writeFileSync(path, motText(interpolateGaps(readTracks(path), maxGap)));
  }
}
