/**
 * numpy's float64 summation order, where TrackEval's results can depend on it at the ulp level: HOTA's
 * row and column sums feed the global alignment score, whose exact value decides assignment ties.
 */

/**
 * `np.sum` along a contiguous axis (numpy's pairwise_sum): below 8 values a plain loop from 0, up to 128
 * values eight interleaved accumulators, above that the two halves recursively (split at a multiple of 8).
 */
export function pairwiseSum(values: Float64Array, start: number, n: number, stride: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i * stride]!;
    return sum;
  }
  if (n <= 128) {
    let r0 = values[start]!;
    let r1 = values[start + stride]!;
    let r2 = values[start + 2 * stride]!;
    let r3 = values[start + 3 * stride]!;
    let r4 = values[start + 4 * stride]!;
    let r5 = values[start + 5 * stride]!;
    let r6 = values[start + 6 * stride]!;
    let r7 = values[start + 7 * stride]!;
    let i = 8;
    for (let k = start + 8 * stride; i < n - (n % 8); i += 8, k += 8 * stride) {
      r0 += values[k]!;
      r1 += values[k + stride]!;
      r2 += values[k + 2 * stride]!;
      r3 += values[k + 3 * stride]!;
      r4 += values[k + 4 * stride]!;
      r5 += values[k + 5 * stride]!;
      r6 += values[k + 6 * stride]!;
      r7 += values[k + 7 * stride]!;
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) sum += values[start + i * stride]!;
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return (
    pairwiseSum(values, start, half, stride) + pairwiseSum(values, start + half * stride, n - half, stride)
  );
}

/** `np.mean` of a 1-D array. */
export function mean(values: readonly number[]): number {
  // Copied into a Float64Array: pairwiseSum then only ever sees one array type (one more deoptimises it).
  return pairwiseSum(Float64Array.from(values), 0, values.length, 1) / values.length;
}
