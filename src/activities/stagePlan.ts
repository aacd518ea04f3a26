/**
 * The stage schedule of a staged study on disk: `stages/plan.json` and one seqmap per stage (what the
 * pipeline runs) and per prefix of stages (what a stage is scored on). Made once; a resumed study reads
 * it back, so its trials stay comparable whatever changed in between.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PruningConfig } from '../config/types.js';
import { makeDirectory } from '../outputFiles.js';
import { studyLayout } from '../study/layout.js';
import {
  cutStages,
  orderSequences,
  type SequenceCost,
  type Stage,
  type StageOrder,
} from '../study/stages.js';

export interface StagePlan {
  order: StageOrder;
  shares: number[];
  stages: Stage[];
}

export async function ensureStagePlan(
  outputDir: string,
  pruning: PruningConfig,
  sequences: SequenceCost[],
  seed: number,
): Promise<StagePlan> {
  const layout = studyLayout(outputDir);
  if (existsSync(layout.stagePlan)) return readStagePlan(outputDir);
  const stages = cutStages(orderSequences(sequences, pruning.order, seed), pruning.shares);
  makeDirectory(path.dirname(layout.stagePlan), 'the stage schedule folder');
  let upTo: string[] = [];
  for (const [k, stage] of stages.entries()) {
    upTo = [...upTo, ...stage.sequences];
    await writeFile(layout.stageSeqmap(k + 1), seqmapText(stage.sequences));
    await writeFile(layout.stagesUpTo(k + 1), seqmapText(upTo));
  }
  // The plan is written last and atomically: when it exists, every seqmap it names does too.
  const plan: StagePlan = { order: pruning.order, shares: pruning.shares, stages };
  const temporary = `${layout.stagePlan}.tmp`;
  await writeFile(temporary, `${JSON.stringify(plan, null, 2)}\n`);
  await rename(temporary, layout.stagePlan);
  return plan;
}

export async function readStagePlan(outputDir: string): Promise<StagePlan> {
  return JSON.parse(await readFile(studyLayout(outputDir).stagePlan, 'utf8')) as StagePlan;
}

const seqmapText = (names: readonly string[]) => `name\n${names.join('\n')}\n`;
