/**
 * Box IoU in TrackEval's exact operation order (`_calculate_box_ious`, xywh): corners first
 * (x1 = x + w), areas from the corners ((x1 - x0) * (y1 - y0), not w * h), union = (areaA + areaB) -
 * intersection, and eps guards for degenerate boxes. Results are bit-identical to numpy's, which
 * matters: 0.49999999999999994 is a CLEAR match but not an Identity match.
 */
import type { BoxRows } from './motFiles.js';

export const EPS = 2.220446049250313e-16; // np.finfo(float).eps

/** Corner form of a file's boxes, computed once per file; position p holds row `order[p]`. */
export interface Corners {
  x0: Float64Array;
  y0: Float64Array;
  x1: Float64Array;
  y1: Float64Array;
  area: Float64Array;
}

export function cornersOf(
  boxes: Pick<BoxRows, 'left' | 'top' | 'width' | 'height'>,
  order: Int32Array,
): Corners {
  const n = order.length;
  const corners = {
    x0: new Float64Array(n),
    y0: new Float64Array(n),
    x1: new Float64Array(n),
    y1: new Float64Array(n),
    area: new Float64Array(n),
  };
  for (let p = 0; p < n; p++) {
    const r = order[p]!;
    const x0 = boxes.left[r]!;
    const y0 = boxes.top[r]!;
    const x1 = x0 + boxes.width[r]!;
    const y1 = y0 + boxes.height[r]!;
    corners.x0[p] = x0;
    corners.y0[p] = y0;
    corners.x1[p] = x1;
    corners.y1[p] = y1;
    corners.area[p] = (x1 - x0) * (y1 - y0);
  }
  return corners;
}

/** IoU of box `i` of `a` against boxes `bFrom..bTo` of `b`, written to `out` from `offset`. */
export function iouRow(
  a: Corners,
  i: number,
  b: Corners,
  bFrom: number,
  bTo: number,
  out: Float64Array,
  offset: number,
): void {
  const ax0 = a.x0[i]!;
  const ay0 = a.y0[i]!;
  const ax1 = a.x1[i]!;
  const ay1 = a.y1[i]!;
  const areaA = a.area[i]!;
  const { x0, y0, x1, y1, area } = b;
  for (let j = bFrom, k = offset; j < bTo; j++, k++) {
    const bx0 = x0[j]!;
    const bx1 = x1[j]!;
    const w = Math.min(ax1, bx1) - Math.max(ax0, bx0);
    const by0 = y0[j]!;
    const by1 = y1[j]!;
    const h = Math.min(ay1, by1) - Math.max(ay0, by0);
    if (!(w > 0 && h > 0)) {
      out[k] = 0; // TrackEval divides a zero intersection by a positive union: +0 as well
      continue;
    }
    const areaB = area[j]!;
    let intersection = w * h;
    let union = areaA + areaB - intersection;
    if (areaA <= EPS || areaB <= EPS || union <= EPS) intersection = 0;
    if (union <= EPS) union = 1;
    out[k] = intersection / union;
  }
}

/** IoU of two `left, top, width, height` boxes. */
export function boxIou(
  a: readonly [number, number, number, number],
  b: readonly [number, number, number, number],
): number {
  const corners = ([left, top, width, height]: readonly [number, number, number, number]) =>
    cornersOf(
      {
        left: Float64Array.of(left),
        top: Float64Array.of(top),
        width: Float64Array.of(width),
        height: Float64Array.of(height),
      },
      Int32Array.of(0),
    );
  const out = new Float64Array(1);
  iouRow(corners(a), 0, corners(b), 0, 1, out, 0);
  return out[0]!;
}
