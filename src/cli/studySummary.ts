import { formatResultsSummary, readStudyResults } from '../results/summaryText.js';

/**
 * The end of `tune` and `resume`: the summary `pipetune results` prints (best, baseline, improvement,
 * paths), for whatever trials the study recorded (none: nothing is printed). Never fails the command:
 * a results folder this host cannot read (a remote study root) only gets a note.
 */
export async function printStudySummary(outputDir: string): Promise<void> {
  try {
    const results = await readStudyResults(outputDir);
    if (results) process.stdout.write(formatResultsSummary(results));
  } catch (err) {
    process.stderr.write(`pipetune: no results summary: ${(err as Error).message}\n`);
  }
}
