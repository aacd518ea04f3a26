/**
 * The ffmpeg filter graph that paints a sequence's occluders (pure). Frames are 1-based in occluders
 * and 0-based in ffmpeg (`n`). Freezes come first (freezeframes takes the replacement frame from a
 * second copy of the input), then the static boxes (drawbox, timeline-enabled), then the movers
 * (overlay of a colour source: overlay evaluates x per frame, drawbox only once).
 */
import type { FrameSize, Occluder } from './occluders.js';

const between = (o: { from: number; to: number }) => `between(n,${o.from - 1},${o.to - 1})`;

export function filterGraph(occluders: readonly Occluder[], size: FrameSize): string {
  const freezes = occluders.filter((o) => o.kind === 'freeze');
  const parts: string[] = [];
  let stream = '0:v';
  if (freezes.length > 0) {
    const copies = freezes.map((_, k) => `[r${k}]`).join('');
    parts.push(`[0:v]split=${freezes.length + 1}[f0]${copies}`);
    freezes.forEach((f, k) => {
      parts.push(
        `[f${k}][r${k}]freezeframes=first=${f.from}:last=${f.to - 1}:replace=${f.from - 1}[f${k + 1}]`,
      );
    });
    stream = `f${freezes.length}`;
  }
  const boxes = occluders.flatMap((o) =>
    o.kind === 'pole' || o.kind === 'box'
      ? [
          `drawbox=x=${o.left}:y=${o.top}:w=${o.width}:h=${o.height}:color=${o.color}:t=fill:enable='${between(o)}'`,
        ]
      : [],
  );
  parts.push(`[${stream}]${boxes.length ? boxes.join(',') : 'null'}[b0]`);
  stream = 'b0';
  let k = 0;
  for (const o of occluders) {
    if (o.kind !== 'mover') continue;
    parts.push(`color=c=${o.color}:s=${o.width}x${o.height}:r=${size.fps}[m${k}]`);
    const x = `mod(${o.x0}+${o.speed}*(n-${o.from - 1}),W+w)-w`;
    parts.push(`[${stream}][m${k}]overlay=x='${x}':y=${o.top}:shortest=1:enable='${between(o)}'[o${k}]`);
    stream = `o${k}`;
    k++;
  }
  parts.push(`[${stream}]null[out]`);
  return parts.join(';');
}
