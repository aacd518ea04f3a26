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
 *
 * Evaluation calls it tens of thousands of times on small matrices, so the work arrays are reused between
 * calls and visited rows/columns are tracked in lists instead of cleared flags. The floating-point
 * operations and their order are scipy's.
 */

export interface Assignment {
  rows: Int32Array;
  cols: Int32Array;
}

/** Thrown for NaN / -Infinity entries (scipy raises ValueError) and for infeasible problems. */
export class AssignmentError extends Error {
  override name = 'AssignmentError';
}

/** Work arrays shared by all calls (the solver never re-enters itself), grown on demand. */
interface Workspace {
  c: Float64Array;
  u: Float64Array;
  col4row: Int32Array;
  visitedRows: Int32Array;
  v: Float64Array;
  shortest: Float64Array;
  path: Int32Array;
  row4col: Int32Array;
  remaining: Int32Array;
  visitedCols: Int32Array;
}

function workspace(rows: number, cols: number): Workspace {
  return {
    c: new Float64Array(rows * cols),
    u: new Float64Array(rows),
    col4row: new Int32Array(rows),
    visitedRows: new Int32Array(rows),
    v: new Float64Array(cols),
    shortest: new Float64Array(cols),
    path: new Int32Array(cols),
    row4col: new Int32Array(cols),
    remaining: new Int32Array(cols),
    visitedCols: new Int32Array(cols),
  };
}

/** Sized for the frames of crowded scenes up front (replacing it deoptimises callers), grown when one does not fit. */
let work = workspace(256, 256);

function reserve(n: number, m: number): Workspace {
  if (n * m <= work.c.length && n <= work.u.length && m <= work.v.length) return work;
  work = workspace(Math.max(2 * n, work.u.length), Math.max(2 * m, work.v.length));
  return work;
}

/**
 * @param cost row-major nr×nc matrix
 * @param maximize maximise the total instead of minimising it (scipy negates the matrix)
 */
export function linearSumAssignment(
  cost: Float64Array | number[],
  nr: number,
  nc: number,
  maximize = false,
): Assignment {
  if (cost.length !== nr * nc)
    throw new AssignmentError(`cost has ${cost.length} entries, expected ${nr}×${nc}`);
  const rows = new Int32Array(Math.min(nr, nc));
  const cols = new Int32Array(rows.length);
  assignInto(cost, nr, nc, maximize, rows, cols);
  return { rows, cols };
}

/**
 * The same solver writing its min(nr, nc) pairs into `rows` / `cols` (sorted by row) and returning how
 * many: the metrics call it once per frame, and two fresh arrays per call were most of their garbage.
 * `cost` may be longer than nr×nc (a reused buffer); only its first nr×nc entries are read.
 */
export function assignInto(
  cost: Float64Array | number[],
  nr: number,
  nc: number,
  maximize: boolean,
  rows: Int32Array,
  cols: Int32Array,
): number {
  if (nr === 0 || nc === 0) return 0;

  const transpose = nc < nr;
  const n = transpose ? nc : nr; // rows of the solved problem
  const m = transpose ? nr : nc; // columns of the solved problem
  const { c, u, v, shortest, path, col4row, row4col, remaining, visitedRows, visitedCols } = reserve(n, m);
  const sign = maximize ? -1 : 1;
  let valid = true;
  for (let i = 0, k = 0; i < nr; i++) {
    for (let j = 0, cell = transpose ? i : i * m; j < nc; j++, k++, cell += transpose ? m : 1) {
      const value = sign * cost[k]!;
      valid &&= !Number.isNaN(value) && value !== -Infinity;
      c[cell] = value;
    }
  }
  if (!valid) throw new AssignmentError('cost matrix contains invalid numeric entries');
  // Plain loops: TypedArray.fill's call overhead dominates on the small matrices evaluation solves.
  for (let i = 0; i < n; i++) {
    u[i] = 0;
    col4row[i] = -1;
  }
  for (let j = 0; j < m; j++) {
    v[j] = 0;
    path[j] = -1;
    row4col[j] = -1;
  }

  for (let curRow = 0; curRow < n; curRow++) {
    // Dijkstra from curRow over reduced costs until an unassigned column (the sink) is reached.
    let minVal = 0;
    let numRemaining = m;
    let nVisitedRows = 0;
    let nVisitedCols = 0;
    let sink = -1;
    let i = curRow;
    for (let first = true; sink === -1; first = false) {
      let index = -1;
      let lowest = Infinity;
      visitedRows[nVisitedRows++] = i;
      const base = i * m;
      const ui = u[i]!;
      if (first) {
        // The first step also initialises: remaining = m-1 … 0, and shortest[j] = r, which is what
        // `r < Infinity` gives (for r = +Infinity, path[j] is set but never followed).
        for (let it = 0; it < m; it++) {
          const j = m - it - 1;
          remaining[it] = j;
          const r = minVal + c[base + j]! - ui - v[j]!;
          path[j] = i;
          shortest[j] = r;
          if (r < lowest || (r === lowest && row4col[j] === -1)) {
            lowest = r;
            index = it;
          }
        }
      } else {
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
      }
      minVal = lowest;
      if (minVal === Infinity) throw new AssignmentError('cost matrix is infeasible');
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      visitedCols[nVisitedCols++] = j;
      remaining[index] = remaining[--numRemaining]!;
    }

    // Dual update (each entry once; the order between entries does not matter).
    u[curRow] = u[curRow]! + minVal;
    for (let p = 1; p < nVisitedRows; p++) {
      const r = visitedRows[p]!; // rows after the first are reached through their assigned column
      u[r] = u[r]! + (minVal - shortest[col4row[r]!]!); // same rounding as scipy's `+=`
    }
    for (let p = 0; p < nVisitedCols; p++) {
      const col = visitedCols[p]!;
      v[col] = v[col]! - (minVal - shortest[col]!);
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

  if (transpose) {
    // Solved rows are original columns: list the pairs by original row (scipy's argsort; rows are distinct).
    const colOfRow = row4col; // free now: reused as original row → original column
    for (let r = 0; r < nr; r++) colOfRow[r] = -1;
    for (let k = 0; k < n; k++) colOfRow[col4row[k]!] = k;
    let idx = 0;
    for (let r = 0; r < nr; r++) {
      if (colOfRow[r] === -1) continue;
      rows[idx] = r;
      cols[idx++] = colOfRow[r]!;
    }
  } else {
    for (let r = 0; r < n; r++) {
      rows[r] = r;
      cols[r] = col4row[r]!;
    }
  }
  return n;
}
