import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyTable, writeAccuracyCsv } from '../../src/results/csv.js';
import { manifest, parseCsv, tempDir, trial } from './fixtures.js';

const m = manifest({ metric: 'MOTA', configPath: '/root/configs/sdg-mot.yml' });
const records = [
  trial({
    trial: 2,
    iteration: 2,
    score: null,
    params: { 'PGIE.class-attrs-all.pre-cluster-threshold': 0.3, 'NvDCF.mode': 'a,"b"' },
  }),
  trial({
    trial: 0,
    optimizer: 'baseline',
    iteration: 0,
    score: 0.5,
    params: { 'PGIE.class-attrs-all.pre-cluster-threshold': 0.2, 'NvDCF.mode': 'x' },
    metrics: { HOTA: 0.4, MOTA: 0.5, Custom: 7 },
  }),
  trial({
    trial: 1,
    iteration: 1,
    score: 0.6,
    params: { 'PGIE.class-attrs-all.pre-cluster-threshold': 0.25, 'NvDCF.mode': 'y', 'MTMC.on': true },
    metrics: { IDF1: 0.61, MOTA: 0.6, HOTA: 0.45 },
  }),
];

describe('accuracy CSV', () => {
  it('names the file after the config file (extension kept) and the study stamp', async () => {
    const dir = await tempDir();
    const path = await writeAccuracyCsv(dir, m, records);
    expect(path).toBe(join(dir, 'results', 'sdg-mot.yml-20261125-061500_accuracy.csv'));
  });

  it('writes one row per trial in trial order with the study metric first, then the other metrics, timings and params', async () => {
    const dir = await tempDir();
    const rows = parseCsv(await readFile(await writeAccuracyCsv(dir, m, records), 'utf8'));
    const [header, ...body] = rows;
    expect(header).toEqual([
      'trial',
      'optimizer',
      'iteration',
      'repeat',
      'status',
      'MOTA',
      'HOTA',
      'IDF1',
      'Custom',
      'exec_s',
      'eval_s',
      'finished_at',
      'checkpoint',
      'PGIE.class-attrs-all.pre-cluster-threshold',
      'NvDCF.mode',
      'MTMC.on',
      'scored_on',
      'validation_of',
      'frames',
      'stage_reached',
      'stages',
      'saved_s',
      'prune_reason',
      'fps',
    ]);
    expect(body.map((r) => r[0])).toEqual(['0', '1', '2']);
    const byName = (row: string[]) => Object.fromEntries(header!.map((h, i) => [h, row[i]]));
    const baseline = byName(body[0]!);
    expect(baseline).toMatchObject({
      optimizer: 'baseline',
      iteration: '0',
      repeat: '0',
      status: 'ok',
      MOTA: '0.5',
      HOTA: '0.4',
      IDF1: '',
      Custom: '7',
    });
    expect(baseline).toMatchObject({
      exec_s: '12.345',
      eval_s: '0.678',
      checkpoint: join('checkpoints', 'trial-0000-baseline'),
      'MTMC.on': '',
      scored_on: 'tuning',
      validation_of: '',
      frames: '',
      stage_reached: '',
      stages: '',
      saved_s: '',
      prune_reason: '',
    });
    const tuned = byName(body[1]!);
    expect(tuned).toMatchObject({
      MOTA: '0.6',
      IDF1: '0.61',
      'MTMC.on': 'true',
      'NvDCF.mode': 'y',
      'PGIE.class-attrs-all.pre-cluster-threshold': '0.25',
    });
    const failed = byName(body[2]!);
    expect(failed).toMatchObject({
      status: 'failed',
      MOTA: '',
      HOTA: '',
      'NvDCF.mode': 'a,"b"',
      finished_at: '2026-11-25T06:22:30.000Z',
    });
  });

  it('keeps full number precision so the CSV reproduces the records', () => {
    const table = accuracyTable(m, [trial({ trial: 0, score: 0.123456789012345, params: { x: 1e-7 } })]);
    expect(table.rows[0]![table.columns.indexOf('MOTA')]).toBe(0.123456789012345);
    expect(table.rows[0]![table.columns.indexOf('x')]).toBe('1e-7');
  });

  it('rewrites the file in place on every call and leaves no temp files', async () => {
    const dir = await tempDir();
    await writeAccuracyCsv(dir, m, records.slice(0, 1));
    const path = await writeAccuracyCsv(dir, m, records);
    expect(parseCsv(await readFile(path, 'utf8'))).toHaveLength(4);
    expect(await readdir(join(dir, 'results'))).toEqual([basename(path)]);
  });
});
