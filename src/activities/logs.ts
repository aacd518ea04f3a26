import { readFile } from 'node:fs/promises';

const ERROR_LINE = /Error|ERROR|\[Exception\]/;

/** The log lines a failed run is reported with (PipeTuner shows the same ones), the last `max` of them. */
export async function errorLines(logFile: string, max = 10): Promise<string[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => ERROR_LINE.test(line))
    .slice(-max)
    .map((line) => (line.length > 500 ? `${line.slice(0, 500)}…` : line));
}
