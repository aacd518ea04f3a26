import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixels } from './font.js';
import { encodePng } from './png.js';

export type Rgb = readonly [number, number, number];

export interface Stroke {
  /** Pen size in pixels (a square pen). */
  width?: number;
  /** Dash pattern: pixels on, pixels off. */
  dash?: readonly [number, number];
}

/** A minimal RGB raster: just the primitives the convergence plot draws with. No anti-aliasing. */
export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  /** Pixels outside the raster are ignored, so shapes may be clipped by its edges. */
  set(x: number, y: number, [r, g, b]: Rgb): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const i = (py * this.width + px) * 3;
    this.pixels[i] = r;
    this.pixels[i + 1] = g;
    this.pixels[i + 2] = b;
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let yy = Math.round(y); yy < Math.round(y + h); yy++)
      for (let xx = Math.round(x); xx < Math.round(x + w); xx++) this.set(xx, yy, color);
  }

  /** Bresenham's line, stamping a square pen; dashes are counted along the major axis. */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, { width = 1, dash }: Stroke = {}): void {
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    const offset = Math.floor((width - 1) / 2);
    let err = dx + dy;
    for (let step = 0; ; step++) {
      if (!dash || step % (dash[0] + dash[1]) < dash[0])
        this.fillRect(x - offset, y - offset, width, width, color);
      if (x === xe && y === ye) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  disc(cx: number, cy: number, radius: number, color: Rgb): void {
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++)
        if (dx * dx + dy * dy <= radius * radius + radius) this.set(cx + dx, cy + dy, color);
  }

  cross(cx: number, cy: number, radius: number, color: Rgb): void {
    this.line(cx - radius, cy - radius, cx + radius, cy + radius, color, { width: 2 });
    this.line(cx - radius, cy + radius, cx + radius, cy - radius, color, { width: 2 });
  }

  static textWidth(text: string, scale: number): number {
    return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
  }

  static textHeight(scale: number): number {
    return GLYPH_HEIGHT * scale;
  }

  /** Draws `text` with its top-left corner at (x, y), each font pixel a `scale`×`scale` block. */
  text(x: number, y: number, text: string, color: Rgb, scale = 2): void {
    [...text].forEach((char, i) => {
      const left = x + i * (GLYPH_WIDTH + 1) * scale;
      for (const [gx, gy] of glyphPixels(char))
        this.fillRect(left + gx * scale, y + gy * scale, scale, scale, color);
    });
  }

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.pixels);
  }
}
