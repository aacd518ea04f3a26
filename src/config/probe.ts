/**
 * The opt-in probe of `pipetune check --probe` (built-in pipeline): each tuned key is run at the ends of
 * its range (each choice of a choice), every other key at the baseline, on the study's shortest
 * sequence; a key whose runs all write the same tracks cannot change the output there. A measurement,
 * so it also catches what the static checks (./deadKeys.ts) cannot know, at the cost of 2 short runs
 * per key; a key may still matter together with other keys' values, which the probe does not try.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSeqinfo, readSeqmap } from '../eval/motFiles.js';
import { runPipeline } from '../pipelines/builtin/runner.js';
import { originalParams, render } from '../render/index.js';
import type { ParamValue } from '../space/types.js';
import type { StudyConfig, TunedParameter } from './types.js';

/** The sequence of the tuning seqmap with the fewest frames. */
function shortestSequence(config: StudyConfig): string {
  const { datasetPath, seqmapPath } = config.exec;
  const length = (name: string) => readSeqinfo(join(datasetPath, name, 'seqinfo.ini')).seqLength;
  return readSeqmap(seqmapPath).reduce((a, b) => (length(b) < length(a) ? b : a));
}

function probeValues(p: TunedParameter): ParamValue[] {
  const d = p.dimension;
  return d.kind === 'choice' ? d.choices : [d.low, d.high];
}

/** Warnings for the keys whose probe runs all wrote the same tracks; `log` reports progress. */
export async function probeDeadKeys(
  config: StudyConfig,
  log: (line: string) => void = () => {},
): Promise<string[]> {
  if (config.exec.pipeline !== 'builtin') return [];
  const sequence = shortestSequence(config);
  const work = mkdtempSync(join(tmpdir(), 'pipetune-probe-'));
  const seqmap = join(work, 'seqmap.txt');
  writeFileSync(seqmap, `name\n${sequence}\n`);
  const baseline = originalParams(config);
  const warnings: string[] = [];
  try {
    let run = 0;
    for (const p of config.parameters) {
      const hashes = new Set<string>();
      for (const value of probeValues(p)) {
        const dir = join(work, `run-${run++}`);
        const files = await render(config, { ...baseline, [p.name]: value }, join(dir, 'configs'));
        const out = join(dir, 'out');
        await runPipeline({
          dataset: config.exec.datasetPath,
          seqmap,
          out,
          pgie: files.pgie,
          tracker: files.tracker,
        });
        hashes.add(
          createHash('sha1')
            .update(readFileSync(join(out, `${sequence}.txt`)))
            .digest('hex'),
        );
      }
      log(`probe: ${p.name}: ${hashes.size === 1 ? 'no effect' : 'changes the output'}`);
      if (hashes.size === 1)
        warnings.push(
          `${p.yamlPath}: cannot change the output on ${sequence} (probe: ${probeValues(p).join(' and ')}, every other key at the baseline, gave the same tracks)`,
        );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return warnings;
}
