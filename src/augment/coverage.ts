/**
 * How much of a box the occluders cover, and the part a detector still sees. Exact for any number of
 * rectangles: the box is cut into the cells of the rectangles' edges (coordinate compression), and each
 * cell is covered or not.
 */
import type { Rect } from './occluders.js';

export interface Coverage {
  /** Covered share of the box's area, 0..1. */
  covered: number;
  /** Bounding box of the uncovered cells, or null when the box is fully covered. */
  visible: Rect | null;
}

export function coverage(box: Rect, rects: readonly Rect[]): Coverage {
  const x0 = box.left;
  const y0 = box.top;
  const x1 = box.left + box.width;
  const y1 = box.top + box.height;
  const inside = rects.filter(
    (r) => r.left < x1 && r.left + r.width > x0 && r.top < y1 && r.top + r.height > y0,
  );
  if (inside.length === 0 || box.width <= 0 || box.height <= 0) return { covered: 0, visible: box };
  const xs = edges(
    x0,
    x1,
    inside.flatMap((r) => [r.left, r.left + r.width]),
  );
  const ys = edges(
    y0,
    y1,
    inside.flatMap((r) => [r.top, r.top + r.height]),
  );
  let coveredArea = 0;
  let vx0 = Infinity;
  let vy0 = Infinity;
  let vx1 = -Infinity;
  let vy1 = -Infinity;
  for (let i = 0; i + 1 < xs.length; i++) {
    const cx = (xs[i]! + xs[i + 1]!) / 2;
    for (let j = 0; j + 1 < ys.length; j++) {
      const cy = (ys[j]! + ys[j + 1]!) / 2;
      const hit = inside.some(
        (r) => cx > r.left && cx < r.left + r.width && cy > r.top && cy < r.top + r.height,
      );
      if (hit) {
        coveredArea += (xs[i + 1]! - xs[i]!) * (ys[j + 1]! - ys[j]!);
        continue;
      }
      vx0 = Math.min(vx0, xs[i]!);
      vx1 = Math.max(vx1, xs[i + 1]!);
      vy0 = Math.min(vy0, ys[j]!);
      vy1 = Math.max(vy1, ys[j + 1]!);
    }
  }
  const covered = Math.min(1, coveredArea / (box.width * box.height));
  const visible = vx1 > vx0 ? { left: vx0, top: vy0, width: vx1 - vx0, height: vy1 - vy0 } : null;
  return { covered, visible };
}

/** Sorted distinct cut positions within [lo, hi], both ends included. */
function edges(lo: number, hi: number, cuts: number[]): number[] {
  const inside = cuts.filter((c) => c > lo && c < hi);
  return [...new Set([lo, ...inside, hi])].sort((a, b) => a - b);
}
