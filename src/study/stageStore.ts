import { readFile } from 'node:fs/promises';
import { studyLayout } from './layout.js';
import type { StageRecord } from './records.js';

/**
 * The stage records of a staged study (`stages.jsonl`); none when there are none yet. A torn last line (a
 * crash mid-write) is skipped: its stage is scored again by the retried PipeEval.
 */
export async function readStageRecords(outputDir: string): Promise<StageRecord[]> {
  let text: string;
  try {
    text = await readFile(studyLayout(outputDir).stageRecords, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records: StageRecord[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: StageRecord;
    try {
      record = JSON.parse(line) as StageRecord;
    } catch {
      continue;
    }
    if (seen.has(record.key)) continue;
    seen.add(record.key);
    records.push(record);
  }
  return records;
}

export function stageKey(trialKey: string, stage: number): string {
  return `${trialKey}/${stage}`;
}
