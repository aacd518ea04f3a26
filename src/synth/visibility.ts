/**
 * What one camera sees of the people in one frame (trackers-mtmc.md §4.3): amodal boxes from 12 points
 * on each of a person's foot and head circles, then depth-ordered occlusion on a 1/8-resolution grid
 * where people are ellipses inscribed in their boxes and shelves are ray-cast boxes. Visibility is the
 * share of a person's silhouette cells that are inside the image and not behind anything nearer.
 */
import { type Camera, MIN_DEPTH, toCamera } from './camera.js';
import type { Floor } from './floor.js';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Sighting {
  /** Object id: a person id (> 0) or a mannequin (< 0). */
  person: number;
  /** Amodal box clipped to the image. */
  box: Box;
  /** Box of the visible cells (null when nothing is visible). */
  modal: Box | null;
  visibility: number;
  /** Camera z of the person's mid-height point. */
  depth: number;
  /** Angle between the walking heading and the camera's viewing ray on the floor. */
  viewAngle: number;
  /** Object id of the main occluder (0 when none) and the share of the silhouette it covers. */
  occluder: number;
  occluderShare: number;
}

export interface PersonAt {
  /** Object id: a person id (> 0) or a mannequin (< 0). */
  person: number;
  x: number;
  y: number;
  heading: number;
  height: number;
  radius: number;
}

const CELL = 8;
const RING = 12;

/** Reusable per-camera state: the shelf depth of every grid cell and the occupancy buffers. */
export interface CameraGrid {
  cam: Camera;
  cols: number;
  rows: number;
  shelfDepth: Float64Array;
  owner: Int32Array;
  stamp: Int32Array;
  frameStamp: number;
}

export function cameraGrid(cam: Camera, floor: Floor): CameraGrid {
  const cols = Math.ceil(cam.width / CELL);
  const rows = Math.ceil(cam.height / CELL);
  const shelfDepth = new Float64Array(cols * rows).fill(Infinity);
  const R = cam.rotation;
  const [cx, cy, cz] = cam.center;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Ray through the cell centre; its camera-z component is 1, so the hit parameter is the depth.
      const a = ((c + 0.5) * CELL - cam.width / 2) / cam.focal;
      const b = ((r + 0.5) * CELL - cam.height / 2) / cam.focal;
      const dx = R[0] * a + R[3] * b + R[6];
      const dy = R[1] * a + R[4] * b + R[7];
      const dz = R[2] * a + R[5] * b + R[8];
      let best = Infinity;
      for (const s of floor.shelves) {
        const hit = slab(cx, cy, cz, dx, dy, dz, s.x0, s.y0, 0, s.x1, s.y1, s.height);
        if (hit < best) best = hit;
      }
      shelfDepth[r * cols + c] = best;
    }
  }
  const size = cols * rows;
  return {
    cam,
    cols,
    rows,
    shelfDepth,
    owner: new Int32Array(size),
    stamp: new Int32Array(size),
    frameStamp: 0,
  };
}

/** Entry parameter of a ray into an axis-aligned box (Infinity when it misses or the box is behind). */
function slab(
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  x0: number,
  y0: number,
  z0: number,
  x1: number,
  y1: number,
  z1: number,
): number {
  let near = -Infinity;
  let far = Infinity;
  const axes: [number, number, number, number][] = [
    [ox, dx, x0, x1],
    [oy, dy, y0, y1],
    [oz, dz, z0, z1],
  ];
  for (const [o, d, lo, hi] of axes) {
    if (Math.abs(d) < 1e-12) {
      if (o < lo || o > hi) return Infinity;
      continue;
    }
    let t0 = (lo - o) / d;
    let t1 = (hi - o) / d;
    if (t0 > t1) [t0, t1] = [t1, t0];
    if (t0 > near) near = t0;
    if (t1 < far) far = t1;
  }
  return near <= far && near > 0 ? near : Infinity;
}

export interface Projected {
  at: PersonAt;
  /** Amodal box, unclipped. */
  full: Box;
  /** Amodal box clipped to the image. */
  box: Box;
  depth: number;
}

/** The person's cylinder in the image, or null when it is behind the camera or outside the image. */
export function project(cam: Camera, p: PersonAt): Projected | null {
  let u0 = Infinity;
  let v0 = Infinity;
  let u1 = -Infinity;
  let v1 = -Infinity;
  for (let k = 0; k < RING; k++) {
    const ang = (2 * Math.PI * k) / RING;
    const wx = p.x + p.radius * Math.cos(ang);
    const wy = p.y + p.radius * Math.sin(ang);
    for (const z of [0, p.height]) {
      const [xc, yc, zc] = toCamera(cam, wx, wy, z);
      if (zc <= MIN_DEPTH) return null;
      const u = (cam.focal * xc) / zc + cam.width / 2;
      const v = (cam.focal * yc) / zc + cam.height / 2;
      if (u < u0) u0 = u;
      if (u > u1) u1 = u;
      if (v < v0) v0 = v;
      if (v > v1) v1 = v;
    }
  }
  const l = Math.max(0, u0);
  const t = Math.max(0, v0);
  const r = Math.min(cam.width, u1);
  const b = Math.min(cam.height, v1);
  if (r <= l || b <= t) return null;
  return {
    at: p,
    full: { left: u0, top: v0, width: u1 - u0, height: v1 - v0 },
    box: { left: l, top: t, width: r - l, height: b - t },
    depth: toCamera(cam, p.x, p.y, p.height / 2)[2],
  };
}

/** Everyone the camera sees (in the image, in front of it) in one frame, nearest first. */
export function observe(grid: CameraGrid, people: readonly PersonAt[]): Sighting[] {
  const { cam, cols, rows, shelfDepth, owner, stamp } = grid;
  const stampNow = ++grid.frameStamp;
  const projected = people.map((p) => project(cam, p)).filter((p): p is Projected => p !== null);
  projected.sort((a, b) => a.depth - b.depth);
  const coveredBy = new Map<number, number>();
  return projected.map((p) => {
    const { full, box } = p;
    const ex = full.left + full.width / 2;
    const ey = full.top + full.height / 2;
    const ax = full.width / 2;
    const ay = full.height / 2;
    const c0 = Math.floor(full.left / CELL);
    const c1 = Math.floor((full.left + full.width) / CELL);
    const r0 = Math.floor(full.top / CELL);
    const r1 = Math.floor((full.top + full.height) / CELL);
    let total = 0;
    let visible = 0;
    let mc0 = Infinity;
    let mc1 = -Infinity;
    let mr0 = Infinity;
    let mr1 = -Infinity;
    coveredBy.clear();
    const visit = (c: number, r: number) => {
      total++;
      if (c < 0 || r < 0 || c >= cols || r >= rows) return;
      const cell = r * cols + c;
      if (stamp[cell] === stampNow) {
        const j = owner[cell]!;
        coveredBy.set(j, (coveredBy.get(j) ?? 0) + 1);
        return;
      }
      stamp[cell] = stampNow;
      owner[cell] = p.at.person;
      if (shelfDepth[cell]! < p.depth) return;
      visible++;
      if (c < mc0) mc0 = c;
      if (c > mc1) mc1 = c;
      if (r < mr0) mr0 = r;
      if (r > mr1) mr1 = r;
    };
    for (let r = r0; r <= r1; r++) {
      const dy = ((r + 0.5) * CELL - ey) / ay;
      if (dy * dy > 1) continue;
      for (let c = c0; c <= c1; c++) {
        const dx = ((c + 0.5) * CELL - ex) / ax;
        if (dx * dx + dy * dy <= 1) visit(c, r);
      }
    }
    // A silhouette smaller than a cell still covers the cell of its centre.
    if (total === 0) visit(Math.floor(ex / CELL), Math.floor(ey / CELL));
    let occluder = 0;
    let occluded = 0;
    for (const [j, n] of coveredBy) {
      if (n > occluded) {
        occluder = j;
        occluded = n;
      }
    }
    const modal =
      visible === 0
        ? null
        : intersect(box, {
            left: mc0 * CELL,
            top: mr0 * CELL,
            width: (mc1 - mc0 + 1) * CELL,
            height: (mr1 - mr0 + 1) * CELL,
          });
    const ray = Math.atan2(p.at.y - cam.center[1], p.at.x - cam.center[0]);
    return {
      person: p.at.person,
      box,
      modal,
      visibility: visible / total,
      depth: p.depth,
      viewAngle: p.at.heading - ray,
      occluder,
      occluderShare: occluded / total,
    };
  });
}

function intersect(a: Box, b: Box): Box | null {
  const l = Math.max(a.left, b.left);
  const t = Math.max(a.top, b.top);
  const r = Math.min(a.left + a.width, b.left + b.width);
  const d = Math.min(a.top + a.height, b.top + b.height);
  return r > l && d > t ? { left: l, top: t, width: r - l, height: d - t } : null;
}
