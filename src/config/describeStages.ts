/**
 * What `pipetune check` says about a staged study: the stage schedule a new study would make from this
 * data (a running study keeps the one it wrote in `stages/plan.json`) and what the pruner will do on it.
 */
import path from 'node:path';
import { readSeqinfo, readSeqmap } from '../eval/motFiles.js';
import { describePruning } from '../pruners/index.js';
import { cutStages, orderSequences, sequencesAfterStages } from '../study/stages.js';
import type { StudyConfig } from './types.js';

export function describeStages(config: StudyConfig): string {
  if (!config.pruning) return '';
  const { pruning, exec } = config;
  const sequences = readSeqmap(exec.seqmapPath).map((name) => ({
    name,
    frames: readSeqinfo(path.join(exec.datasetPath, name, 'seqinfo.ini')).seqLength,
  }));
  const stages = cutStages(orderSequences(sequences, pruning.order, exec.seed), pruning.shares);
  const total = sequences.reduce((sum, s) => sum + s.frames, 0);
  const lines = [
    '',
    `stages: ${stages.length} (order ${pruning.order}; shares of the frames ${pruning.shares.map((s) => s.toFixed(2)).join(', ')})`,
    ...stages.map(
      (s, k) =>
        `  stage ${k + 1}: ${s.sequences.length} sequence(s), ${s.frames} frames (${((100 * s.frames) / total).toFixed(0)} %): ${s.sequences.join(', ')}`,
    ),
    ...(stages.length < pruning.shares.length
      ? [
          `  (${pruning.shares.length} stages asked, ${stages.length} possible: each stage needs a sequence of its own)`,
        ]
      : []),
    ...describePruning(pruning.pruner, sequencesAfterStages(stages)),
  ];
  return `${lines.join('\n')}\n`;
}
