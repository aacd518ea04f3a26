/** MOT-format text of tracker output: frame,id,left,top,width,height,conf,-1,-1,-1. */
import { TextWriter } from './textWriter.js';
import type { Tracks } from './tracker.js';

const COMMA = 44;

export function motText(t: Tracks): Buffer {
  const w = new TextWriter();
  for (let r = 0; r < t.count; r++) {
    w.int(t.frame[r]!).char(COMMA).int(t.id[r]!).char(COMMA);
    w.fixed(t.left[r]!, 2)
      .char(COMMA)
      .fixed(t.top[r]!, 2)
      .char(COMMA)
      .fixed(t.width[r]!, 2)
      .char(COMMA)
      .fixed(t.height[r]!, 2)
      .char(COMMA);
    w.fixed(t.confidence[r]!, 4).text(',-1,-1,-1\n');
  }
  return w.bytes();
}
