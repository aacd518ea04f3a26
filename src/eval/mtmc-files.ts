/**
 * MTMC rows `camera id frame left top width height x y` (AIC / Metropolis ground-truth order, 0-based
 * frames, world coordinates in metres), separated by spaces, tabs or commas. Used for the scene's
 * ground truth and for the pipeline's mtmc.txt alike.
 */

import { inputError } from '../errors.js';
import { type InputScope, readInput } from '../inputFiles.js';
import { parseRows } from './table.js';

export interface MtmcRows {
  file: string;
  count: number;
  camera: Int32Array;
  id: Int32Array;
  frame: Int32Array;
  left: Float64Array;
  top: Float64Array;
  width: Float64Array;
  height: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

const LAYOUT = 'camera id frame left top width height x y';
const INT32_MAX = 2 ** 31 - 1;

export function parseMtmcRows(bytes: Buffer, file: string): MtmcRows {
  const table = parseRows(bytes, file, 9);
  const n = table.count;
  const rows: MtmcRows = {
    file,
    count: n,
    camera: new Int32Array(n),
    id: new Int32Array(n),
    frame: new Int32Array(n),
    left: new Float64Array(n),
    top: new Float64Array(n),
    width: new Float64Array(n),
    height: new Float64Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
  };
  const v = table.values;
  for (let r = 0; r < n; r++) {
    const line = table.line[r]!;
    if (table.fields[r]! < 9)
      throw inputError(file, line, `expected 9 columns (${LAYOUT}), found ${table.fields[r]}`);
    const b = r * 9;
    for (let c = 0; c < 9; c++) {
      if (!Number.isFinite(v[b + c]!))
        throw inputError(file, line, `column ${c + 1} (${LAYOUT.split(' ')[c]}) is not a finite number`);
    }
    for (const [c, name] of [
      [0, 'camera'],
      [1, 'id'],
      [2, 'frame'],
    ] as const) {
      if (!Number.isInteger(v[b + c]!) || v[b + c]! < 0)
        throw inputError(file, line, `${name} ${v[b + c]} is not an integer >= 0`);
      // Stored as int32: a larger number would wrap around.
      if (v[b + c]! > INT32_MAX)
        throw inputError(file, line, `${name} ${v[b + c]} is too large (at most ${INT32_MAX})`);
    }
    rows.camera[r] = v[b]!;
    rows.id[r] = v[b + 1]!;
    rows.frame[r] = v[b + 2]!;
    rows.left[r] = v[b + 3]!;
    rows.top[r] = v[b + 4]!;
    rows.width[r] = v[b + 5]!;
    rows.height[r] = v[b + 6]!;
    rows.x[r] = v[b + 7]!;
    rows.y[r] = v[b + 8]!;
  }
  return rows;
}

export function readMtmcFile(path: string, scope?: InputScope): MtmcRows {
  return parseMtmcRows(readInput(path, { what: 'MTMC rows', scope }), path);
}
