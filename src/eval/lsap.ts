/**
 * Rectangular linear sum assignment: the project's one assignment solver (metrics and trackers).
 *
 * Behaves exactly like scipy.optimize.linear_sum_assignment (Crouse's shortest augmenting path,
 * rectangular_lsap), including its tie-breaking, because TrackEval's preprocessing, CLEAR and HOTA
 * results depend on which of several optimal matchings is returned:
 *  - a wide problem (rows > cols) is solved transposed;
 *  - rows are augmented in order; each Dijkstra scans the remaining columns from a list initialised in
 *    reverse order (nc-1 … 0), a taken column being replaced by the last remaining one;
 *  - a column becomes the candidate when its path cost is strictly lower, or equal and still unassigned.
 * The result is a full matching of min(rows, cols) pairs sorted by row; callers filter zero-score pairs.
 */

export interface Assignment {
  rows: Int32Array;
  cols: Int32Array;
}

/** Thrown for NaN / -Infinity entries (scipy raises ValueError) and for infeasible problems. */
export class AssignmentError extends Error {
  override name = 'AssignmentError';
}

/**
 * @param cost row-major nr×nc matrix
 * @param maximize maximise the total instead of minimising it (scipy negates the matrix)
 */
export function linearSumAssignment(cost: Float64Array | number[], nr: number, nc: number, maximize = false): Assignment {
  if (cost.length !== nr * nc) throw new AssignmentError(`cost has ${cost.length} entries, expected ${nr}×${nc}`);
  if (nr === 0 || nc === 0) return { rows: new Int32Array(0), cols: new Int32Array(0) };

  const transpose = nc < nr;
  const n = transpose ? nc : nr; // rows of the solved problem
  const m = transpose ? nr : nc; // columns of the solved problem
  const c = new Float64Array(n * m);
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      const value = maximize ? -cost[i * nc + j]! : cost[i * nc + j]!;
      if (Number.isNaN(value) || value === -Infinity) throw new AssignmentError('cost matrix contains invalid numeric entries');
      c[transpose ? j * m + i : i * m + j] = value;
    }
  }

  const u = new Float64Array(n);
  const v = new Float64Array(m);
  const shortest = new Float64Array(m);
  const path = new Int32Array(m).fill(-1);
  const col4row = new Int32Array(n).fill(-1);
  const row4col = new Int32Array(m).fill(-1);
  const seenRow = new Uint8Array(n);
  const seenCol = new Uint8Array(m);
  const remaining = new Int32Array(m);

  for (let curRow = 0; curRow < n; curRow++) {
    // Dijkstra from curRow over reduced costs until an unassigned column (the sink) is reached.
    let minVal = 0;
    let numRemaining = m;
    for (let it = 0; it < m; it++) remaining[it] = m - it - 1;
    seenRow.fill(0);
    seenCol.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      seenRow[i] = 1;
      const base = i * m;
      const ui = u[i]!;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it]!;
        const r = minVal + c[base + j]! - ui - v[j]!;
        if (r < shortest[j]!) {
          path[j] = i;
          shortest[j] = r;
        }
        const s = shortest[j]!;
        if (s < lowest || (s === lowest && row4col[j] === -1)) {
          lowest = s;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) throw new AssignmentError('cost matrix is infeasible');
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      seenCol[j] = 1;
      remaining[index] = remaining[--numRemaining]!;
    }

    // Dual update.
    u[curRow] = u[curRow]! + minVal;
    for (let r = 0; r < n; r++) {
      if (seenRow[r] && r !== curRow) u[r] = u[r]! + (minVal - shortest[col4row[r]!]!); // same rounding as scipy's `+=`
    }
    for (let col = 0; col < m; col++) {
      if (seenCol[col]) v[col] = v[col]! - (minVal - shortest[col]!);
    }

    // Augment along the path back to curRow.
    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const previous = col4row[r]!;
      col4row[r] = j;
      j = previous;
      if (r === curRow) break;
    }
  }

  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  if (transpose) {
    // Solved rows are original columns: return pairs sorted by original row (scipy's argsort).
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => col4row[a]! - col4row[b]!);
    order.forEach((k, idx) => {
      rows[idx] = col4row[k]!;
      cols[idx] = k;
    });
  } else {
    for (let r = 0; r < n; r++) {
      rows[r] = r;
      cols[r] = col4row[r]!;
    }
  }
  return { rows, cols };
}
