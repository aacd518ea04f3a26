/**
 * MTMC output rows: every observation of a clustered behavior under its global id, with one fused
 * ground location per (frame, global id): the confidence-weighted mean of the trusted locations of all
 * cameras, linearly interpolated over frames where no camera has a trusted one. Global ids are numbered
 * 1.. in order of first appearance.
 */
import type { Behavior, CameraTracks } from './behaviors.js';

export interface MtmcRow {
  camera: number;
  id: number;
  /** 0-based, as in AIC-style MTMC ground truth. */
  frame: number;
  left: number;
  top: number;
  width: number;
  height: number;
  x: number;
  y: number;
}

interface Observation {
  camera: number;
  row: number;
  frame: number;
  x: number;
  y: number;
  located: boolean;
}

/** Fused location per frame of one global id's observations. */
function fusedTrajectory(
  obs: readonly Observation[],
  confidenceOf: (o: Observation) => number,
): Map<number, [number, number]> {
  const trusted = new Map<number, [number, number, number]>();
  const any = new Map<number, [number, number, number]>();
  for (const o of obs) {
    if (Number.isNaN(o.x)) continue;
    const w = Math.max(confidenceOf(o), 1e-6);
    for (const target of o.located ? [trusted, any] : [any]) {
      const s = target.get(o.frame) ?? [0, 0, 0];
      s[0] += w * o.x;
      s[1] += w * o.y;
      s[2] += w;
      target.set(o.frame, s);
    }
  }
  // Without any trusted location, the untrusted ones are better than nothing.
  const source = trusted.size > 0 ? trusted : any;
  const known = [...source.keys()].sort((a, b) => a - b);
  const mean = (f: number): [number, number] => {
    const s = source.get(f)!;
    return [s[0] / s[2], s[1] / s[2]];
  };
  const out = new Map<number, [number, number]>();
  if (known.length === 0) return out;
  const frames = [...new Set(obs.map((o) => o.frame))].sort((a, b) => a - b);
  let k = 0;
  for (const f of frames) {
    while (k < known.length && known[k]! < f) k++;
    if (k < known.length && known[k] === f) {
      out.set(f, mean(f));
      continue;
    }
    const before = k > 0 ? known[k - 1]! : undefined;
    const after = k < known.length ? known[k]! : undefined;
    if (before === undefined) out.set(f, mean(after!));
    else if (after === undefined) out.set(f, mean(before));
    else {
      const a = mean(before);
      const b = mean(after);
      const u = (f - before) / (after - before);
      out.set(f, [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1])]);
    }
  }
  return out;
}

export function fuse(
  behaviors: readonly Behavior[],
  labels: Int32Array,
  cameras: readonly CameraTracks[],
  cameraNumbers: readonly number[],
): MtmcRow[] {
  const byLabel = new Map<number, Observation[]>();
  behaviors.forEach((b, i) => {
    let list = byLabel.get(labels[i]!);
    if (!list) {
      list = [];
      byLabel.set(labels[i]!, list);
    }
    for (let k = 0; k < b.rows.length; k++) {
      list.push({
        camera: b.camera,
        row: b.rows[k]!,
        frame: b.frames[k]!,
        x: b.x[k]!,
        y: b.y[k]!,
        located: b.located[k] === 1,
      });
    }
  });
  const confidenceOf = (o: Observation) => cameras[o.camera]!.tracks.confidence[o.row]!;
  const firstSeen = (obs: Observation[]) =>
    obs.reduce((m, o) => Math.min(m, o.frame * 1000 + cameraNumbers[o.camera]!), Infinity);
  const ordered = [...byLabel.values()].sort((a, b) => firstSeen(a) - firstSeen(b));
  const rows: MtmcRow[] = [];
  ordered.forEach((obs, g) => {
    const where = fusedTrajectory(obs, confidenceOf);
    // One row per (camera, frame): the most confident observation.
    const best = new Map<number, Observation>();
    for (const o of obs) {
      const key = o.frame * cameras.length + o.camera;
      const seen = best.get(key);
      if (!seen || confidenceOf(o) > confidenceOf(seen)) best.set(key, o);
    }
    for (const o of best.values()) {
      const p = where.get(o.frame);
      if (!p) continue;
      const t = cameras[o.camera]!.tracks;
      rows.push({
        camera: cameraNumbers[o.camera]!,
        id: g + 1,
        frame: o.frame - 1,
        left: t.left[o.row]!,
        top: t.top[o.row]!,
        width: t.width[o.row]!,
        height: t.height[o.row]!,
        x: p[0],
        y: p[1],
      });
    }
  });
  return rows.sort((a, b) => a.camera - b.camera || a.frame - b.frame || a.id - b.id);
}
