/**
 * The matchedPairs pairs TrackEval keeps from a maximising assignment: scipy's linear_sum_assignment on
 * -score, then the pairs with score > eps.
 */
import { EPS } from './iou.js';
import { type Assignment, assignInto } from './lsap.js';

/** Per row and per column: the column / row of its one positive score, -1 for none (reused between calls). */
let hits = { row: new Int32Array(1024), col: new Int32Array(1024) }; // grown (rarely) by replacing it

/**
 * The pairs of the last positivePairs call, its first `count` entries, by row. Overwritten by the next
 * call: the metrics run it once per frame and read the pairs at once, so nothing is allocated per frame.
 */
export const matchedPairs: Assignment = { rows: new Int32Array(1024), cols: new Int32Array(1024) };

/**
 * Shortcut, exact: when no score is negative and the positive scores form a partial matching (at most
 * one per row and per column), every optimal assignment contains all of them, so the kept pairs are
 * those, whatever scipy's tie-breaking among the zero pairs. Otherwise the full solver runs.
 * Reads the first nr×nc entries of `score` (row-major); returns the number of pairs put in `matchedPairs`.
 */
export function positivePairs(score: Float64Array, nr: number, nc: number): number {
  if (hits.row.length < nr || hits.col.length < nc)
    hits = { row: new Int32Array(2 * nr + 64), col: new Int32Array(2 * nc + 64) };
  if (matchedPairs.rows.length < Math.min(nr, nc)) {
    matchedPairs.rows = new Int32Array(2 * Math.min(nr, nc));
    matchedPairs.cols = new Int32Array(matchedPairs.rows.length);
  }
  const rowHit = hits.row;
  const colHit = hits.col;
  for (let i = 0; i < nr; i++) rowHit[i] = -1;
  for (let j = 0; j < nc; j++) colHit[j] = -1;
  let simple = true;
  scan: for (let i = 0, k = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++, k++) {
      const s = score[k]!;
      if (s === 0) continue;
      if (!(s > 0) || rowHit[i] !== -1 || colHit[j] !== -1) {
        simple = false; // negative or NaN scores, or competition: the solver decides
        break scan;
      }
      rowHit[i] = j;
      colHit[j] = i;
    }
  }
  return simple ? hitPairs(score, nr, nc, rowHit) : solvedPairs(score, nr, nc);
}

/** The positive pairs of a partial matching, by row, those with score > eps kept. */
function hitPairs(score: Float64Array, nr: number, nc: number, rowHit: Int32Array): number {
  const { rows, cols } = matchedPairs;
  let m = 0;
  for (let i = 0; i < nr; i++) {
    const j = rowHit[i]!;
    if (j !== -1 && score[i * nc + j]! > EPS) {
      rows[m] = i;
      cols[m++] = j;
    }
  }
  return m;
}

/** scipy's maximising assignment, keeping the pairs with score > eps. */
function solvedPairs(score: Float64Array, nr: number, nc: number): number {
  const { rows, cols } = matchedPairs;
  const n = assignInto(score, nr, nc, true, rows, cols);
  let m = 0;
  for (let p = 0; p < n; p++) {
    if (score[rows[p]! * nc + cols[p]!]! > EPS) {
      rows[m] = rows[p]!;
      cols[m++] = cols[p]!;
    }
  }
  return m;
}
