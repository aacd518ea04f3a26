/**
 * `pipetune eval --mtmc --gt ground_truth.txt --tracker mtmc.txt [--json F]`: multi-camera metrics
 * (ground-plane HOTA, multi-camera IDF1, per-camera IDF1) of MTMC rows against the scene's ground truth.
 */
import { dirname, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { evaluateMtmc, readMtmcFile } from '../../eval/mtmc.js';
import { makeDirectory, writeOutputFile } from '../../outputFiles.js';

export const MTMC_USAGE = `MTMC mode (--mtmc): --gt and --tracker are files of rows
"camera id frame left top width height x y" (0-based frames, metres), e.g.
  pipetune eval --mtmc --gt data/SDG_sample_utils/ground_truth.txt --tracker out/mtmc.txt
prints ground-plane HOTA (similarity max(0, 1 - d/2 m)) and multi-camera IDF1 (IoU >= 0.5).
`;

const pct = (v: number) => (100 * v).toFixed(3);

export function runMtmcEval(values: { gt?: string; tracker?: string; json?: string }): number {
  if (!values.gt || !values.tracker)
    throw new InputError(
      'pipetune eval --mtmc: --gt and --tracker (files) are required (see pipetune eval --help)',
    );
  const report = evaluateMtmc(readMtmcFile(values.gt), readMtmcFile(values.tracker), { perCamera: true });
  const g = report.groundPlane;
  const m = report.multiCamera;
  const lines = [
    `MTMC ground plane    HOTA ${pct(g.HOTA!)}  DetA ${pct(g.DetA!)}  AssA ${pct(g.AssA!)}  LocA ${pct(g.LocA!)}`,
    `MTMC multi-camera   IDF1 ${pct(m.IDF1)}  IDR ${pct(m.IDR)}  IDP ${pct(m.IDP)}  IDTP ${m.IDTP}  IDFN ${m.IDFN}  IDFP ${m.IDFP}`,
    ...report.perCamera.map(
      (c) =>
        `  camera ${String(c.camera).padStart(3)}        IDF1 ${pct(c.IDF1)}  IDR ${pct(c.IDR)}  IDP ${pct(c.IDP)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) {
    makeDirectory(dirname(resolve(values.json)), 'the folder of --json');
    writeOutputFile(values.json, `${JSON.stringify(report, null, 1)}\n`);
  }
  return 0;
}
