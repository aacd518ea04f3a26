/**
 * Runs of the built-in pipeline on one sequence, in process, with the CPU time they took. The pipeline is
 * deterministic, so a run is cached on disk by (configs, sequence): studies of one seed under different pruners
 * share their first trials, and a cached run is charged the CPU time it cost when it ran.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runPipeline } from '../../src/pipelines/builtin/runner.js';
import type { RenderedConfigs } from '../../src/pipelines/types.js';

export interface SequenceRun {
  /** MOT rows of the sequence. */
  text: string;
  cpuMs: number;
}

export class SequenceRunner {
  constructor(
    private readonly dataset: string,
    private readonly cacheDir: string,
    private readonly workDir: string,
  ) {
    mkdirSync(cacheDir, { recursive: true });
  }

  async run(configs: RenderedConfigs, sequence: string): Promise<SequenceRun> {
    const key = this.key(configs, sequence);
    const cached = this.fromDisk(key);
    if (cached) return cached;
    const seqmap = path.join(this.workDir, `${sequence}.seqmap`);
    const out = path.join(this.workDir, `run-${key}`);
    writeFileSync(seqmap, `name\n${sequence}\n`);
    const before = process.cpuUsage();
    await runPipeline({ dataset: this.dataset, seqmap, out, pgie: configs.pgie, tracker: configs.tracker });
    const used = process.cpuUsage(before);
    const run = {
      text: readFileSync(path.join(out, `${sequence}.txt`), 'utf8'),
      cpuMs: (used.user + used.system) / 1000,
    };
    writeFileSync(path.join(this.cacheDir, `${key}.json`), JSON.stringify(run));
    return run;
  }

  private key(configs: RenderedConfigs, sequence: string): string {
    const hash = createHash('sha256');
    for (const file of [configs.pgie, configs.tracker]) hash.update(file ? readFileSync(file) : '-');
    hash.update(`${this.dataset}\0${sequence}`);
    return hash.digest('hex').slice(0, 32);
  }

  private fromDisk(key: string): SequenceRun | undefined {
    const file = path.join(this.cacheDir, `${key}.json`);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as SequenceRun;
  }
}
