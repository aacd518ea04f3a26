/**
 * One run of the built-in pipeline on real sequences, in process: base configs with some values
 * replaced (through the config overlay, as a study renders them), then TrackEval-equal metrics,
 * combined and per sequence. Shared by the outcome benchmark and its exploratory sweeps.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Benchmark } from '../../src/config/types.js';
import { evaluateMot } from '../../src/eval/index.js';
import { applyEdits, type Edit, formatOf } from '../../src/overlay/index.js';
import { runPipeline } from '../../src/pipelines/builtin/runner.js';

export interface Scores {
  HOTA: number;
  MOTA: number;
  IDF1: number;
  /** HOTA of each sequence. */
  perSequence: Record<string, number>;
}

export interface RunSpec {
  dataset: string;
  seqmap: string;
  benchmark: Benchmark;
  pgie: string;
  tracker: string;
  edits?: { pgie?: Edit[]; tracker?: Edit[] };
  workDir: string;
}

function render(base: string, edits: Edit[] | undefined, dir: string): string {
  const file = join(dir, basename(base));
  const text = readFileSync(base, 'utf8');
  writeFileSync(file, edits?.length ? applyEdits(formatOf(base), text, base, edits) : text);
  return file;
}

export async function score(spec: RunSpec): Promise<Scores> {
  const configs = join(spec.workDir, 'configs');
  const out = join(spec.workDir, 'out');
  mkdirSync(configs, { recursive: true });
  await runPipeline({
    dataset: spec.dataset,
    seqmap: spec.seqmap,
    out,
    pgie: render(spec.pgie, spec.edits?.pgie, configs),
    tracker: render(spec.tracker, spec.edits?.tracker, configs),
  });
  const report = evaluateMot({
    gtDir: spec.dataset,
    trackerDir: out,
    seqmapPath: spec.seqmap,
    benchmark: spec.benchmark,
    onWarning: () => {},
  });
  const c = report.combined.summary;
  const perSequence: Record<string, number> = {};
  for (const [name, block] of Object.entries(report.sequences)) perSequence[name] = 100 * block.summary.HOTA!;
  return { HOTA: 100 * c.HOTA!, MOTA: 100 * c.MOTA!, IDF1: 100 * c.IDF1!, perSequence };
}
