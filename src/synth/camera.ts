/**
 * Calibrated pinhole cameras on the store's walls (trackers-mtmc.md §4.3): look-at extrinsics in OpenCV
 * axes (x right, y down, z forward), no distortion, and the ground-plane homography.
 */
import type { Floor } from './floor.js';
import type { Random } from './random.js';

export type Vec3 = [number, number, number];
/** Row-major 3×3. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export interface Camera {
  /** Sequence name, e.g. Retail_Synthetic_Cam01. */
  name: string;
  width: number;
  height: number;
  /** Focal length in pixels (square pixels, principal point at the image centre). */
  focal: number;
  center: Vec3;
  /** World → camera rotation (rows r̂, d̂, f̂). */
  rotation: Mat3;
  /** t = -R·C. */
  translation: Vec3;
}

export const MIN_DEPTH = 0.1;

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function lookAt(
  name: string,
  center: Vec3,
  target: Vec3,
  hfovDeg: number,
  width: number,
  height: number,
): Camera {
  const f = normalize([target[0] - center[0], target[1] - center[1], target[2] - center[2]]);
  const r = normalize(cross(f, [0, 0, 1]));
  const d = cross(f, r);
  const rotation: Mat3 = [r[0], r[1], r[2], d[0], d[1], d[2], f[0], f[1], f[2]];
  const translation: Vec3 = [
    -(r[0] * center[0] + r[1] * center[1] + r[2] * center[2]),
    -(d[0] * center[0] + d[1] * center[1] + d[2] * center[2]),
    -(f[0] * center[0] + f[1] * center[1] + f[2] * center[2]),
  ];
  const focal = width / 2 / Math.tan((hfovDeg * Math.PI) / 360);
  return { name, width, height, focal, center, rotation, translation };
}

/** `count` cameras spread along the walls at 2.8–4.5 m, each looking at a floor point 6–14 m inward. */
export function placeCameras(floor: Floor, count: number, sceneName: string, rng: Random): Camera[] {
  const perimeter = 2 * (floor.width + floor.length);
  const cameras: Camera[] = [];
  for (let i = 0; i < count; i++) {
    const s = ((i + rng.uniform(0, 0.2)) / count) * perimeter;
    const [x, y] = perimeterPoint(floor, s, 0.3);
    const aimX = floor.width / 2 + rng.uniform(-5, 5);
    const aimY = floor.length / 2 + rng.uniform(-7, 7);
    const dir = Math.atan2(aimY - y, aimX - x);
    const reach = Math.min(rng.uniform(6, 14), Math.hypot(aimX - x, aimY - y));
    const target: Vec3 = [x + reach * Math.cos(dir), y + reach * Math.sin(dir), 0];
    const name = `${sceneName}_Cam${String(i + 1).padStart(2, '0')}`;
    cameras.push(lookAt(name, [x, y, rng.uniform(3.2, 4.5)], target, rng.uniform(70, 90), 1920, 1080));
  }
  return cameras;
}

/** The wall point at arc length s (counter-clockwise from the origin), `inset` metres inside. */
function perimeterPoint(floor: Floor, s: number, inset: number): [number, number] {
  const { width: w, length: l } = floor;
  if (s < w) return [s, inset];
  if (s < w + l) return [w - inset, s - w];
  if (s < 2 * w + l) return [w - (s - w - l), l - inset];
  return [inset, l - (s - 2 * w - l)];
}

/** Camera coordinates of a world point. */
export function toCamera(cam: Camera, x: number, y: number, z: number): Vec3 {
  const R = cam.rotation;
  const t = cam.translation;
  return [
    R[0] * x + R[1] * y + R[2] * z + t[0],
    R[3] * x + R[4] * y + R[5] * z + t[1],
    R[6] * x + R[7] * y + R[8] * z + t[2],
  ];
}

export function intrinsicMatrix(cam: Camera): Mat3 {
  return [cam.focal, 0, cam.width / 2, 0, cam.focal, cam.height / 2, 0, 0, 1];
}

function multiply3(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9).fill(0) as Mat3;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[i * 3 + j] += a[i * 3 + k]! * b[k * 3 + j]!;
  return out;
}

/** Ground (Z = 0) → image homography K[r₁ r₂ t], scaled so that H[2][2] = 1. */
export function groundToImage(cam: Camera): Mat3 {
  const R = cam.rotation;
  const t = cam.translation;
  const h = multiply3(intrinsicMatrix(cam), [R[0], R[1], t[0], R[3], R[4], t[1], R[6], R[7], t[2]]);
  return h.map((v) => v / h[8]) as Mat3;
}
