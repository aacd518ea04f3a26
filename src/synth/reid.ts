/**
 * ReID embeddings (trackers-mtmc.md §4.5): identity vectors in look-alike groups, a view-dependent
 * term, a per-camera domain shift, visibility-dependent noise and contamination by the main occluder.
 * Vectors are unit length.
 */
import type { Random } from './random.js';

export const EMBEDDING_DIM = 128;

const GROUPS = 4;
/** Group 0 is the "staff uniform": its members look more alike. */
const GROUP_SHARE = [0.5, 0.25, 0.25, 0.25];
const VIEW_STRENGTH = 0.35;
const NOISE_BASE = 0.35;
const NOISE_OCCLUDED = 0.6;
const CONTAMINATION = 0.6;

interface Identity {
  mean: Float64Array;
  front: Float64Array;
  side: Float64Array;
}

function normalizeInPlace(v: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export class ReidModel {
  private readonly groups: Float64Array[];
  private readonly identities = new Map<number, Identity>();
  private readonly shifts = new Map<string, Float64Array>();
  private readonly objects = new Map<string, Float64Array>();

  constructor(private readonly rng: Random) {
    const g = rng.fork('groups');
    this.groups = Array.from({ length: GROUPS }, () => g.gaussianVector(EMBEDDING_DIM));
  }

  /** The identity of a person (by id), created on first use from its own stream. */
  private identity(id: number): Identity {
    let found = this.identities.get(id);
    if (!found) {
      const r = this.rng.fork(`identity-${id}`);
      const group = r.int(GROUPS);
      const share = GROUP_SHARE[group]!;
      const own = r.gaussianVector(EMBEDDING_DIM);
      const shared = this.groups[group]!;
      const mean = new Float64Array(EMBEDDING_DIM);
      for (let i = 0; i < EMBEDDING_DIM; i++)
        mean[i] = Math.sqrt(share) * shared[i]! + Math.sqrt(1 - share) * own[i]!;
      found = {
        mean: normalizeInPlace(mean),
        front: r.gaussianVector(EMBEDDING_DIM),
        side: r.gaussianVector(EMBEDDING_DIM),
      };
      this.identities.set(id, found);
    }
    return found;
  }

  /** γ_c·d_c, the camera's domain shift, with γ_c ~ U(0.2, 0.4). */
  private shift(camera: string): Float64Array {
    let found = this.shifts.get(camera);
    if (!found) {
      const r = this.rng.fork(`camera-${camera}`);
      const gamma = r.uniform(0.2, 0.4);
      found = r.gaussianVector(EMBEDDING_DIM).map((v) => gamma * v);
      this.shifts.set(camera, found);
    }
    return found;
  }

  /** The appearance of person `id` seen from `viewAngle`, without camera shift or noise. */
  private viewed(id: number, viewAngle: number): Float64Array {
    const { mean, front, side } = this.identity(id);
    const c = VIEW_STRENGTH * Math.cos(viewAngle);
    const s = VIEW_STRENGTH * Math.sin(viewAngle);
    return normalizeInPlace(mean.map((m, i) => m + c * front[i]! + s * side[i]!));
  }

  /** One detection's embedding of person `id`; person `occluderId` (0: none) contaminates it by `occluderShare`. */
  observePerson(
    id: number,
    camera: string,
    viewAngle: number,
    visibility: number,
    occluderId: number,
    occluderShare: number,
    rng: Random,
  ): Float64Array {
    const sigma = NOISE_BASE + NOISE_OCCLUDED * (1 - visibility);
    const view = this.viewed(id, viewAngle);
    const shift = this.shift(camera);
    const e = normalizeInPlace(
      view.map((v, i) => v + shift[i]! + (sigma * rng.normal()) / Math.sqrt(EMBEDDING_DIM)),
    );
    if (occluderId <= 0 || occluderShare <= 0) return e;
    const kappa = CONTAMINATION * occluderShare;
    const other = this.identity(occluderId).mean;
    return normalizeInPlace(e.map((v, i) => (1 - kappa) * v + kappa * other[i]!));
  }

  /** A fixed-looking object (mannequin, poster) seen by `camera`: its own vector, shift and noise. */
  observeObject(objectKey: string, camera: string, rng: Random): Float64Array {
    let base = this.objects.get(objectKey);
    if (!base) {
      base = this.rng.fork(`object-${objectKey}`).gaussianVector(EMBEDDING_DIM);
      this.objects.set(objectKey, base);
    }
    const shift = this.shift(camera);
    return normalizeInPlace(
      base.map((v, i) => v + shift[i]! + (NOISE_BASE * rng.normal()) / Math.sqrt(EMBEDDING_DIM)),
    );
  }

  /** A random unit vector (clutter false positive). */
  static random(rng: Random): Float64Array {
    return normalizeInPlace(rng.gaussianVector(EMBEDDING_DIM));
  }

  /** A noisier copy (a partial duplicate box of the same person). */
  static perturbed(e: Float64Array, rng: Random): Float64Array {
    return normalizeInPlace(e.map((v) => v + (0.4 * rng.normal()) / Math.sqrt(EMBEDDING_DIM)));
  }
}
