import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ConfigFile } from '../../src/pipelines/builtin/configFile.js';
import { readMtmcConfig } from '../../src/pipelines/builtin/mtmc/config.js';
import { readPgieConfig } from '../../src/pipelines/builtin/postprocess.js';
import { readTrackerConfig } from '../../src/pipelines/builtin/trackerConfig.js';

const ROOT = join(__dirname, '..', '..');
const BASE = {
  pgie: join(ROOT, 'configs', 'config_PGIE', 'config_infer_primary_builtin.txt'),
  tracker: join(ROOT, 'configs', 'config_Tracker', 'config_tracker_builtin.yml'),
  mtmc: join(ROOT, 'configs', 'config_MTMC', 'config_mtmc_builtin.json'),
};
const READERS = {
  pgie: (f: string) => readPgieConfig(ConfigFile.read(f, 'PGIE config')),
  tracker: (f: string) => readTrackerConfig(ConfigFile.read(f, 'tracker config')),
  mtmc: (f: string) => readMtmcConfig(ConfigFile.read(f, 'MTMC config')),
};
type Stage = keyof typeof BASE;

const dir = mkdtempSync(join(tmpdir(), 'pipetune-config-'));

function variant(stage: Stage, text: string): string {
  const file = join(dir, basename(BASE[stage]));
  writeFileSync(file, text);
  return file;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an input error');
}

/** Every `key=value` (INI) or `key: value` (YAML) line of a base config, as [key, line index]. */
function keyLines(text: string, pattern: RegExp): [string, number][] {
  return text.split('\n').flatMap((line, i) => {
    const m = pattern.exec(line);
    return m ? [[m[1]!, i] as [string, number]] : [];
  });
}

describe('base configs', () => {
  it('load with their documented values', () => {
    const pgie = READERS.pgie(BASE.pgie);
    expect(pgie.clusterMode).toBe(3);
    const tracker = READERS.tracker(BASE.tracker);
    expect(tracker.matcher).toBe(1);
    expect(tracker.reidInAssociation).toBe(true);
    expect(tracker.reassociation).not.toBeNull();
    expect(tracker.kalman).not.toBeNull();
    const mtmc = READERS.mtmc(BASE.mtmc);
    expect(mtmc.algo).toBe('AgglomerativeClustering');
    expect(mtmc.overwrittenNumClusters).toBeNull();
  });

  it('hold no key the pipeline does not read: removing any one is an error naming it', () => {
    for (const [stage, pattern] of [
      ['pgie', /^([\w-]+)=/],
      ['tracker', /^\s+(\w+):/],
    ] as const) {
      const lines = readFileSync(BASE[stage], 'utf8').split('\n');
      const keys = keyLines(lines.join('\n'), pattern);
      expect(keys.length).toBeGreaterThan(8);
      for (const [key, i] of keys) {
        const file = variant(stage, lines.filter((_, k) => k !== i).join('\n'));
        expect(errorOf(() => READERS[stage](file))).toContain(`${key} is missing`);
      }
    }
    const json = JSON.parse(readFileSync(BASE.mtmc, 'utf8')) as Record<string, Record<string, unknown>>;
    for (const [section, values] of Object.entries(json)) {
      for (const key of Object.keys(values)) {
        const copy = structuredClone(json);
        delete copy[section]![key];
        const file = variant('mtmc', JSON.stringify(copy));
        // overwrittenNumClusters may be null, not absent; HDBSCAN's key is unused by the sample's algorithm.
        if (key === 'hdbscanMinClusterSize') {
          const hdbscan = structuredClone(copy);
          hdbscan.clustering!.clusteringAlgo = 'HDBSCAN';
          expect(errorOf(() => READERS.mtmc(variant('mtmc', JSON.stringify(hdbscan))))).toContain(
            `${section}.${key} is missing`,
          );
          continue;
        }
        expect(errorOf(() => READERS.mtmc(file))).toContain(`${section}.${key} is missing`);
      }
    }
  });
});

describe('config errors', () => {
  it('name the file, the line and the key of an out-of-range value', () => {
    const text = readFileSync(BASE.pgie, 'utf8').replace('nms-iou-threshold=0.5', 'nms-iou-threshold=1.5');
    const line = text.split('\n').findIndex((l) => l.startsWith('nms-iou-threshold')) + 1;
    const file = variant('pgie', text);
    expect(errorOf(() => READERS.pgie(file))).toBe(
      `${file}:${line}: class-attrs-all.nms-iou-threshold: expected a number >= 0 and <= 1, got 1.5`,
    );
  });

  it('reject unsupported choices and non-integers', () => {
    const mode = variant('pgie', readFileSync(BASE.pgie, 'utf8').replace('cluster-mode=3', 'cluster-mode=0'));
    expect(errorOf(() => READERS.pgie(mode))).toContain(
      'property.cluster-mode: expected one of 1 (DBSCAN), 2 (NMS), 3 (DBSCAN+NMS), 4 (none), got 0',
    );
    const age = variant(
      'tracker',
      readFileSync(BASE.tracker, 'utf8').replace('probationAge: 3', 'probationAge: 2.5'),
    );
    expect(errorOf(() => READERS.tracker(age))).toMatch(
      /:\d+: TargetManagement\.probationAge: expected an integer >= 0, got 2\.5$/,
    );
    const algo = variant(
      'mtmc',
      readFileSync(BASE.mtmc, 'utf8').replace('"AgglomerativeClustering"', '"KMeans"'),
    );
    expect(errorOf(() => READERS.mtmc(algo))).toContain(
      'clustering.clusteringAlgo: expected one of "AgglomerativeClustering", "HDBSCAN", got "KMeans"',
    );
  });

  it('report unparsable files and missing files', () => {
    const broken = variant('tracker', '%YAML:1.0\nBaseConfig:\n  minDetectorConfidence: [\n');
    expect(errorOf(() => READERS.tracker(broken))).toContain(`${broken}:`);
    expect(errorOf(() => READERS.mtmc(join(dir, 'nope.json')))).toBe(
      `${join(dir, 'nope.json')}: MTMC config not found`,
    );
  });

  it('do not require the keys of switched-off features', () => {
    const text = readFileSync(BASE.tracker, 'utf8');
    const noReid = text
      .replace('reidType: 3', 'reidType: 0')
      .replace(/TrajectoryManagement:[\s\S]*?\n\n/, '')
      .replace(/ {2}minMatchingScore4ReidSimilarity: .*\n/, '');
    const cfg = READERS.tracker(variant('tracker', noReid));
    expect(cfg.reassociation).toBeNull();
    expect(cfg.reidInAssociation).toBe(false);
  });
});
