/** mtmc.txt: `camera id frame left top width height x y`, space-separated, 0-based frames (AIC style). */
import type { MtmcResult } from './index.js';

export function mtmcText(result: MtmcResult): string {
  const lines = result.rows.map(
    (r) =>
      `${r.camera} ${r.id} ${r.frame} ${r.left.toFixed(2)} ${r.top.toFixed(2)} ${r.width.toFixed(2)} ${r.height.toFixed(2)} ${r.x.toFixed(3)} ${r.y.toFixed(3)}`,
  );
  return lines.length ? `${lines.join('\n')}\n` : '';
}
