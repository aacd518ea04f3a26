/** mtmc.txt: `camera id frame left top width height x y`, space-separated, 0-based frames (AIC style). */
import { TextWriter } from '../textWriter.js';
import type { MtmcResult } from './index.js';

const SPACE = 32;

export function mtmcText(result: MtmcResult): Buffer {
  const w = new TextWriter();
  for (const r of result.rows) {
    w.int(r.camera).char(SPACE).int(r.id).char(SPACE).int(r.frame).char(SPACE);
    w.fixed(r.left, 2)
      .char(SPACE)
      .fixed(r.top, 2)
      .char(SPACE)
      .fixed(r.width, 2)
      .char(SPACE)
      .fixed(r.height, 2)
      .char(SPACE);
    w.fixed(r.x, 3).char(SPACE).fixed(r.y, 3).char(10);
  }
  return w.bytes();
}
