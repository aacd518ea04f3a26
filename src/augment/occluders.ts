/**
 * Occluders painted on a sequence and the rectangles they cover, frame by frame. Pure: the same frame
 * size, options and seed give the same occluders, and `augment.json` records them.
 * Frames are 1-based and inclusive, as in MOT files.
 */
import { Random } from '../synth/random.js';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A filled rectangle that stays put for frames from..to: a pole spans the frame's height (PipeTuner's). */
export interface StaticOccluder extends Rect {
  kind: 'pole' | 'box';
  from: number;
  to: number;
  color: string;
}

/** A rectangle sliding right by `speed` px per frame from `x0`, wrapping around: left = (x0 + speed·(f - from)) mod (W + width) - width. */
export interface MovingOccluder {
  kind: 'mover';
  x0: number;
  top: number;
  width: number;
  height: number;
  speed: number;
  from: number;
  to: number;
  color: string;
}

/** Frames from+1..to show frame `from` again (the video stalls; labels keep moving). */
export interface FreezeOccluder {
  kind: 'freeze';
  from: number;
  to: number;
}

export type Occluder = StaticOccluder | MovingOccluder | FreezeOccluder;

export interface FrameSize {
  width: number;
  height: number;
  frames: number;
  fps: number;
}

export interface OccluderOptions {
  /** Static full-height poles, evenly spread (one is PipeTuner's pole in the middle). */
  poles: number;
  /** Pole width as a fraction of the frame width. */
  poleWidth: number;
  /** Pole centres as fractions of the frame width; replaces the even spread. */
  poleAt: number[] | null;
  /** Random boxes (area 2–8 % of the frame, aspect 0.3–3.3, as Random Erasing draws them). */
  boxes: number;
  /** How long each box stays, in seconds. */
  boxSeconds: number;
  /** Full-height bars sliding across the frame. */
  movers: number;
  /** Mover width as a fraction of the frame width. */
  moverWidth: number;
  /** Seconds a mover takes to cross the frame. */
  moverSeconds: number;
  /** Frozen stretches and their length in frames. */
  freezes: number;
  freezeFrames: number;
}

export const OCCLUDER_DEFAULTS: OccluderOptions = {
  poles: 1,
  poleWidth: 0.04,
  poleAt: null,
  boxes: 0,
  boxSeconds: 4,
  movers: 0,
  moverWidth: 0.06,
  moverSeconds: 10,
  freezes: 0,
  freezeFrames: 15,
};

const POLE_COLOR = 'white';
const BOX_COLOR = 'gray';

/** The occluders of one sequence; `label` (the sequence name) gives each sequence its own draws. */
export function planOccluders(
  size: FrameSize,
  options: OccluderOptions,
  seed: number,
  label: string,
): Occluder[] {
  const rng = new Random(seed).fork(label);
  const { width: W, height: H, frames } = size;
  const out: Occluder[] = [];
  const poleWidth = Math.max(1, Math.round(options.poleWidth * W));
  const centres =
    options.poleAt ?? Array.from({ length: options.poles }, (_, k) => (k + 1) / (options.poles + 1));
  for (const c of centres) {
    out.push({
      kind: 'pole',
      left: clampInt(Math.round(c * W - poleWidth / 2), 0, W - poleWidth),
      top: 0,
      width: poleWidth,
      height: H,
      from: 1,
      to: frames,
      color: POLE_COLOR,
    });
  }
  const boxes = rng.fork('boxes');
  const boxFrames = Math.max(1, Math.round(options.boxSeconds * size.fps));
  for (let k = 0; k < options.boxes; k++) {
    const area = boxes.uniform(0.02, 0.08) * W * H;
    const aspect = Math.exp(boxes.uniform(Math.log(0.3), Math.log(3.3)));
    const w = clampInt(Math.round(Math.sqrt(area * aspect)), 1, W);
    const h = clampInt(Math.round(Math.sqrt(area / aspect)), 1, H);
    const from = 1 + boxes.int(Math.max(1, frames - boxFrames + 1));
    out.push({
      kind: 'box',
      left: boxes.int(W - w + 1),
      top: boxes.int(H - h + 1),
      width: w,
      height: h,
      from,
      to: Math.min(frames, from + boxFrames - 1),
      color: BOX_COLOR,
    });
  }
  const movers = rng.fork('movers');
  const moverWidth = Math.max(1, Math.round(options.moverWidth * W));
  const speed = Math.max(1, Math.round((W + moverWidth) / (options.moverSeconds * size.fps)));
  for (let k = 0; k < options.movers; k++) {
    out.push({
      kind: 'mover',
      x0: movers.int(W + moverWidth),
      top: 0,
      width: moverWidth,
      height: H,
      speed,
      from: 1,
      to: frames,
      color: BOX_COLOR,
    });
  }
  const freezes = rng.fork('freezes');
  const span = Math.min(options.freezeFrames, frames - 1);
  for (let k = 0; k < options.freezes && span >= 1; k++) {
    const from = 1 + freezes.int(frames - span);
    out.push({ kind: 'freeze', from, to: from + span });
  }
  return out;
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/** Where a mover's left edge is at frame f. */
export function moverLeft(m: MovingOccluder, frameWidth: number, frame: number): number {
  return ((m.x0 + m.speed * (frame - m.from)) % (frameWidth + m.width)) - m.width;
}

/** The rectangles painted over frame `frame` (freezes paint none). */
export function rectsAt(occluders: readonly Occluder[], frameWidth: number, frame: number): Rect[] {
  const rects: Rect[] = [];
  for (const o of occluders) {
    if (o.kind === 'freeze' || frame < o.from || frame > o.to) continue;
    if (o.kind === 'mover')
      rects.push({ left: moverLeft(o, frameWidth, frame), top: o.top, width: o.width, height: o.height });
    else rects.push({ left: o.left, top: o.top, width: o.width, height: o.height });
  }
  return rects;
}

/** The frame whose image frame f shows: a frozen stretch shows its first frame. */
export function shownFrame(occluders: readonly Occluder[], frame: number): number {
  for (const o of occluders) if (o.kind === 'freeze' && frame > o.from && frame <= o.to) return o.from;
  return frame;
}

/** Why an occluder does not fit the frame, or null when it does (`where` names it in the message). */
export function occluderProblem(o: Occluder, size: FrameSize): string | null {
  const ints = (values: Record<string, number>): string | null => {
    for (const [k, v] of Object.entries(values))
      if (!Number.isInteger(v)) return `${k} must be an integer, got ${JSON.stringify(v)}`;
    return null;
  };
  const frames = ints({ from: o.from, to: o.to });
  if (frames) return frames;
  if (o.from < 1 || o.to > size.frames || o.from > o.to)
    return `frames ${o.from}..${o.to} are not within 1..${size.frames} (from <= to)`;
  if (o.kind === 'freeze') return o.from < o.to ? null : 'a freeze needs to > from';
  const geometry =
    o.kind === 'mover'
      ? ints({ x0: o.x0, top: o.top, width: o.width, height: o.height, speed: o.speed })
      : ints({ left: o.left, top: o.top, width: o.width, height: o.height });
  if (geometry) return geometry;
  if (o.width < 1 || o.height < 1) return `size ${o.width}×${o.height} has no area`;
  const left = o.kind === 'mover' ? 0 : o.left;
  const right = o.kind === 'mover' ? o.width : o.left + o.width;
  if (left < 0 || o.top < 0 || right > size.width || o.top + o.height > size.height)
    return `box ${left},${o.top} ${o.width}×${o.height} is not inside the ${size.width}×${size.height} frame`;
  if (o.kind === 'mover' && (o.x0 < 0 || o.speed < 0))
    return `x0 and speed must be >= 0, got ${o.x0} and ${o.speed}`;
  return null;
}
