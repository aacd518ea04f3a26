/** MOT-format text of tracker output: frame,id,left,top,width,height,conf,-1,-1,-1. */
import type { Tracks } from './tracker.js';

export function motText(t: Tracks): string {
  const lines = new Array<string>(t.count);
  for (let r = 0; r < t.count; r++) {
    lines[r] = `${t.frame[r]},${t.id[r]},${t.left[r]!.toFixed(2)},${t.top[r]!.toFixed(2)},${t.width[r]!.toFixed(2)},${t.height[r]!.toFixed(2)},${t.confidence[r]!.toFixed(4)},-1,-1,-1`;
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
