/**
 * Behaviors (Metropolis' unit of MTMC): one camera's track, split at long gaps, with per-observation
 * ground locations (box bottom centre through the image → ground homography) and embeddings, each
 * masked by the validity filters, a mean embedding, and behavior-level filters.
 */
import { inputError, quoted } from '../../../errors.js';
import type { Embeddings } from '../appearance.js';
import type { SequenceInfo } from '../sequence.js';
import type { Tracks } from '../tracker.js';
import { type Calibration, type Homography, toGround } from './calibration.js';
import type { MtmcConfig, ObservationFilter } from './config.js';

export interface CameraTracks {
  info: SequenceInfo;
  tracks: Tracks;
  embeddings: Embeddings | null;
}

export interface Behavior {
  /** Index into the camera list. */
  camera: number;
  /** Row indices into the camera's tracks, in frame order, and their frames. */
  rows: number[];
  frames: Int32Array;
  /** Ground location per row (box bottom centre; NaN when it maps above the horizon)… */
  x: Float64Array;
  y: Float64Array;
  /** …and whether the location filter trusts it. */
  located: Uint8Array;
  /** Unit mean of the valid embeddings. */
  embedding: Float64Array;
}

/** The camera number of a sequence: the digits its name ends with (Retail_Synthetic_Cam01 → 1). */
export function cameraOf(name: string): number | undefined {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** `cameraOf`, or an input error for a name without a camera number. */
export function cameraNumber(name: string): number {
  const camera = cameraOf(name);
  if (camera === undefined)
    throw inputError(name, undefined, 'MTMC needs sequence names that end in the camera number (e.g. Cam01)');
  return camera;
}

interface Frame {
  width: number;
  height: number;
  fps: number;
}

function frameGeometry(info: SequenceInfo): Frame {
  const file = `${info.dir}/seqinfo.ini`;
  if (info.width === null || info.height === null)
    throw inputError(file, undefined, 'MTMC needs [Sequence] imWidth and imHeight');
  if (info.fps === null) throw inputError(file, undefined, 'MTMC needs [Sequence] frameRate');
  return { width: info.width, height: info.height, fps: info.fps };
}

function passes(f: ObservationFilter, t: Tracks, r: number, frame: Frame): boolean {
  const w = t.width[r]!;
  const h = t.height[r]!;
  return (
    t.confidence[r]! >= f.confidence &&
    w / h < f.aspectRatio &&
    w * h > f.area * frame.width * frame.height &&
    t.top[r]! + h <= (1 - f.bottomGap) * frame.height
  );
}

function buildBehavior(
  camera: number,
  cam: CameraTracks,
  rows: number[],
  frame: Frame,
  homography: Homography,
  cfg: MtmcConfig,
): Behavior | null {
  const t = cam.tracks;
  const n = rows.length;
  let conf = 0;
  let area = 0;
  let aspect = 0;
  for (const r of rows) {
    conf += t.confidence[r]!;
    area += t.width[r]! * t.height[r]!;
    aspect += t.width[r]! / t.height[r]!;
  }
  const firstFrame = t.frame[rows[0]!]!;
  const lastFrame = t.frame[rows[n - 1]!]!;
  if (
    conf / n < cfg.behaviorConfidence ||
    area / n <= cfg.behaviorArea * frame.width * frame.height ||
    aspect / n >= cfg.behaviorAspectRatio ||
    (lastFrame - firstFrame + 1) / frame.fps < cfg.behaviorLengthSec
  ) {
    return null;
  }
  const e = cam.embeddings;
  if (!e) return null;
  const embedding = new Float64Array(e.dim);
  let embedded = 0;
  const x = new Float64Array(n).fill(Number.NaN);
  const y = new Float64Array(n).fill(Number.NaN);
  const located = new Uint8Array(n);
  rows.forEach((r, k) => {
    if (t.embedding[r]! >= 0 && passes(cfg.embedding, t, r, frame)) {
      e.addUnit(t.embedding[r]!, embedding);
      embedded++;
    }
    const g = toGround(homography, t.left[r]! + t.width[r]! / 2, t.top[r]! + t.height[r]!);
    if (!g) return;
    x[k] = g[0];
    y[k] = g[1];
    located[k] = passes(cfg.location, t, r, frame) ? 1 : 0;
  });
  if (embedded === 0) return null;
  let norm = 0;
  for (const v of embedding) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < embedding.length; j++) embedding[j]! /= norm;
  return { camera, rows, frames: Int32Array.from(rows, (r) => t.frame[r]!), x, y, located, embedding };
}

/** Every valid behavior of every camera. */
export function buildBehaviors(
  cameras: readonly CameraTracks[],
  calibration: Calibration,
  cfg: MtmcConfig,
): Behavior[] {
  const behaviors: Behavior[] = [];
  cameras.forEach((cam, c) => {
    const homography = calibration.imageToGround.get(cam.info.name);
    if (!homography)
      throw inputError(calibration.file, undefined, `no sensor with id ${quoted(cam.info.name)}`);
    const frame = frameGeometry(cam.info);
    const t = cam.tracks;
    const byId = new Map<number, number[]>();
    for (let r = 0; r < t.count; r++) {
      const list = byId.get(t.id[r]!);
      if (list) list.push(r);
      else byId.set(t.id[r]!, [r]);
    }
    const maxGap = cfg.splitSec * frame.fps;
    for (const id of [...byId.keys()].sort((a, b) => a - b)) {
      const rows = byId.get(id)!;
      let start = 0;
      for (let k = 1; k <= rows.length; k++) {
        if (k < rows.length && t.frame[rows[k]!]! - t.frame[rows[k - 1]!]! <= maxGap) continue;
        const b = buildBehavior(c, cam, rows.slice(start, k), frame, homography, cfg);
        if (b) behaviors.push(b);
        start = k;
      }
    }
  });
  return behaviors;
}
