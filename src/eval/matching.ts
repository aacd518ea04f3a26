/**
 * The matched pairs TrackEval keeps from a maximising assignment: scipy's linear_sum_assignment on
 * -score, then the pairs with score > eps.
 */
import { EPS } from './iou.js';
import { type Assignment, linearSumAssignment } from './lsap.js';

/** Per row and per column: the column / row of its one positive score, -1 for none (reused between calls). */
let hits = { row: new Int32Array(1024), col: new Int32Array(1024) }; // grown (rarely) by replacing it

/**
 * Shortcut, exact: when no score is negative and the positive scores form a partial matching (at most
 * one per row and per column), every optimal assignment contains all of them, so the kept pairs are
 * those, whatever scipy's tie-breaking among the zero pairs. Otherwise the full solver runs.
 */
export function positivePairs(score: Float64Array, nr: number, nc: number): Assignment {
  if (hits.row.length < nr || hits.col.length < nc)
    hits = { row: new Int32Array(2 * nr + 64), col: new Int32Array(2 * nc + 64) };
  const rowHit = hits.row;
  const colHit = hits.col;
  for (let i = 0; i < nr; i++) rowHit[i] = -1;
  for (let j = 0; j < nc; j++) colHit[j] = -1;
  let simple = true;
  let positives = 0;
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
      positives++;
    }
  }
  return simple ? hitPairs(score, nr, nc, rowHit, positives) : solvedPairs(score, nr, nc);
}

/** The positive pairs of a partial matching, by row, those with score > eps kept. */
function hitPairs(
  score: Float64Array,
  nr: number,
  nc: number,
  rowHit: Int32Array,
  positives: number,
): Assignment {
  const rows = new Int32Array(positives);
  const cols = new Int32Array(positives);
  let m = 0;
  for (let i = 0; i < nr; i++) {
    const j = rowHit[i]!;
    if (j !== -1 && score[i * nc + j]! > EPS) {
      rows[m] = i;
      cols[m++] = j;
    }
  }
  return { rows: rows.subarray(0, m), cols: cols.subarray(0, m) };
}

/** scipy's maximising assignment, keeping the pairs with score > eps. */
function solvedPairs(score: Float64Array, nr: number, nc: number): Assignment {
  const full = linearSumAssignment(score, nr, nc, true);
  let m = 0;
  for (let p = 0; p < full.rows.length; p++) {
    if (score[full.rows[p]! * nc + full.cols[p]!]! > EPS) {
      full.rows[m] = full.rows[p]!;
      full.cols[m++] = full.cols[p]!;
    }
  }
  return { rows: full.rows.subarray(0, m), cols: full.cols.subarray(0, m) };
}
