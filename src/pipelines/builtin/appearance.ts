/**
 * ReID embeddings of a sequence (rows of a float32 matrix) and a target's appearance: the mean of its
 * last N unit embeddings, compared with a detection by cosine similarity.
 */

export class Embeddings {
  /** Euclidean norm of each row's used values (NaN or Infinity when one is not finite). */
  readonly norms: Float64Array;

  /** Rows of `stride` values of which the first `dim` are used (a shorter feature costs less to compare). */
  constructor(
    readonly data: Float32Array,
    readonly dim: number,
    readonly stride = dim,
  ) {
    const rows = data.length / stride;
    this.norms = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0, k = r * stride; j < dim; j++, k++) s += data[k]! * data[k]!;
      this.norms[r] = Math.sqrt(s);
    }
  }

  /** The same rows, using only their first `dim` values. */
  prefix(dim: number): Embeddings {
    return dim >= this.dim ? this : new Embeddings(this.data, dim, this.stride);
  }

  get rows(): number {
    return this.norms.length;
  }

  /** Adds `weight` × the unit embedding of `row` to `into`. */
  addUnit(row: number, into: Float64Array, weight = 1): void {
    const scale = weight / (this.norms[row]! || 1);
    const base = row * this.stride;
    for (let j = 0; j < this.dim; j++) into[j]! += scale * this.data[base + j]!;
  }

  /** Cosine similarity of `row` with a vector whose norm is `norm`. */
  cosine(row: number, v: Float64Array, norm: number): number {
    if (norm <= 0) return 0;
    const base = row * this.stride;
    let s = 0;
    for (let j = 0; j < this.dim; j++) s += this.data[base + j]! * v[j]!;
    return s / ((this.norms[row]! || 1) * norm);
  }
}

function vectorNorm(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]! * v[j]!;
  return Math.sqrt(s);
}

/** Sliding mean of the last `size` embeddings of a target. */
export class Gallery {
  private readonly sum: Float64Array;
  /** Rows in the mean; grown as rows come, since `size` (reidHistorySize) may be far above a track's length. */
  private ring = new Int32Array(8);
  private count = 0;
  /** Where the next row goes once `size` rows are held (the oldest one). */
  private head = 0;
  private norm = 0;

  constructor(
    private readonly embeddings: Embeddings,
    private readonly size: number,
  ) {
    this.sum = new Float64Array(embeddings.dim);
  }

  get empty(): boolean {
    return this.count === 0;
  }

  add(row: number): void {
    const e = this.embeddings;
    if (this.count < this.size) {
      if (this.count === this.ring.length) this.grow();
      this.ring[this.count++] = row;
    } else {
      e.addUnit(this.ring[this.head]!, this.sum, -1);
      this.ring[this.head] = row;
      this.head = (this.head + 1) % this.size;
    }
    e.addUnit(row, this.sum);
    this.norm = vectorNorm(this.sum);
  }

  private grow(): void {
    const grown = new Int32Array(Math.min(2 * this.ring.length, this.size));
    grown.set(this.ring);
    this.ring = grown;
  }

  similarity(row: number): number {
    return this.embeddings.cosine(row, this.sum, this.norm);
  }

  /** Cosine similarity of two galleries' means. */
  similarityTo(other: Gallery): number {
    if (this.norm <= 0 || other.norm <= 0) return 0;
    let s = 0;
    for (let j = 0; j < this.sum.length; j++) s += this.sum[j]! * other.sum[j]!;
    return s / (this.norm * other.norm);
  }
}
