/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (logs stay short).
 */
const WIDTH = 30;

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done: number, total: number, what: string): void {
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * WIDTH);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)}% ${what}`;
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${line}\n`);
    },
    done(): void {
      if (drawn) stream.write('\n');
    },
  };
}
