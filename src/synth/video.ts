/**
 * Frames of a synthetic camera as RGB images (pure): a plain floor, the shelves where the camera's
 * 1/8-resolution grid sees them, and each person as a filled ellipse in its box, far to near, hidden
 * where a shelf is nearer — the occlusion model the ground truth's visibility comes from. Enough for a
 * video pipeline and the augmenter to run on real files; not meant to look like people.
 */
import type { Camera } from './camera.js';
import type { Floor } from './floor.js';
import { cameraGrid, type Sighting } from './visibility.js';

const FLOOR = [92, 96, 104];
const SHELF = [150, 112, 72];
const MANNEQUIN = [210, 210, 200];

/** A colour per person id, spread around the hue circle. */
function personColor(id: number): number[] {
  if (id < 0) return MANNEQUIN;
  const hue = (id * 137.508) % 360;
  const f = (n: number) => {
    const k = (n + hue / 60) % 6;
    return Math.round(255 * (0.75 - 0.55 * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

export class FramePainter {
  private readonly grid;
  private readonly background: Buffer;
  readonly frame: Buffer;

  constructor(
    private readonly cam: Camera,
    floor: Floor,
  ) {
    this.grid = cameraGrid(cam, floor);
    const { width, height } = cam;
    this.background = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const color = Number.isFinite(this.shelfDepth(x, y)) ? SHELF : FLOOR;
        this.background.set(color, (y * width + x) * 3);
      }
    }
    this.frame = Buffer.alloc(this.background.length);
  }

  private shelfDepth(x: number, y: number): number {
    const { cols, shelfDepth } = this.grid;
    return shelfDepth[Math.floor(y / 8) * cols + Math.floor(x / 8)]!;
  }

  /** Paint one frame's sightings (nearest first, as `observe` returns them) into `frame`. */
  paint(sightings: readonly Sighting[]): Buffer {
    const { width, height } = this.cam;
    this.background.copy(this.frame);
    for (let i = sightings.length - 1; i >= 0; i--) {
      const s = sightings[i]!;
      const color = personColor(s.person);
      const { left, top, width: w, height: h } = s.box;
      const cx = left + w / 2;
      const cy = top + h / 2;
      const y0 = Math.max(0, Math.floor(top));
      const y1 = Math.min(height, Math.ceil(top + h));
      const x0 = Math.max(0, Math.floor(left));
      const x1 = Math.min(width, Math.ceil(left + w));
      for (let y = y0; y < y1; y++) {
        const dy = (y + 0.5 - cy) / (h / 2);
        for (let x = x0; x < x1; x++) {
          const dx = (x + 0.5 - cx) / (w / 2);
          if (dx * dx + dy * dy > 1 || this.shelfDepth(x, y) < s.depth) continue;
          this.frame.set(color, (y * width + x) * 3);
        }
      }
    }
    return this.frame;
  }
}
