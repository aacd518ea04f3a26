/**
 * Slots for the (gt id, tracker id) pairs that ever overlap. HOTA and Identity accumulate per pair;
 * TrackEval uses dense numGtIds × numTrackerIds matrices, which are mostly zeros and can be huge for long
 * multi-camera sequences. Pairs get consecutive slots: through a direct table when the id grid is small,
 * else through an open-addressing hash.
 */
const DENSE_LIMIT = 1 << 20;

export class PairIndex {
  /** The gt id and tracker id of each slot. */
  gt: Int32Array;
  tracker: Int32Array;
  size = 0;
  private readonly numTracker: number;
  private readonly dense: boolean;
  private table: Int32Array; // slot + 1, or 0 when empty
  private mask: number;

  constructor(numGt: number, numTracker: number) {
    this.numTracker = numTracker;
    this.dense = numGt * numTracker <= DENSE_LIMIT;
    const capacity = this.dense ? Math.max(1, numGt * numTracker) : 1 << 12;
    this.table = new Int32Array(capacity);
    this.mask = capacity - 1;
    // Dense grids can hold every pair: the slot arrays then never grow (fields that change deoptimise readers).
    const slots = this.dense ? Math.max(1, numGt * numTracker) : 256;
    this.gt = new Int32Array(slots);
    this.tracker = new Int32Array(slots);
  }

  private static hash(gt: number, tracker: number): number {
    return (Math.imul(gt, 0x9e3779b1) ^ Math.imul(tracker + 0x632be5ab, 0x85ebca77)) >>> 0;
  }

  /** Table position of (gt, tracker): its cell, or the first probe that holds it or is empty. */
  private position(gt: number, tracker: number): number {
    if (this.dense) return gt * this.numTracker + tracker;
    let h = PairIndex.hash(gt, tracker) & this.mask;
    for (let entry = this.table[h]!; entry !== 0; entry = this.table[h]!) {
      if (this.gt[entry - 1] === gt && this.tracker[entry - 1] === tracker) break;
      h = (h + 1) & this.mask;
    }
    return h;
  }

  /** The slot of (gt, tracker), or -1. */
  find(gt: number, tracker: number): number {
    return this.table[this.position(gt, tracker)]! - 1;
  }

  /** The slot of (gt, tracker), added if new. */
  add(gt: number, tracker: number): number {
    const h = this.position(gt, tracker);
    if (this.table[h] !== 0) return this.table[h]! - 1;
    const slot = this.size++;
    if (slot === this.gt.length) {
      const gtIds = new Int32Array(2 * slot);
      const trackerIds = new Int32Array(2 * slot);
      gtIds.set(this.gt);
      trackerIds.set(this.tracker);
      this.gt = gtIds;
      this.tracker = trackerIds;
    }
    this.gt[slot] = gt;
    this.tracker[slot] = tracker;
    this.table[h] = slot + 1;
    if (!this.dense && 2 * this.size >= this.table.length) this.rehash();
    return slot;
  }

  private rehash(): void {
    this.table = new Int32Array(2 * this.table.length);
    this.mask = this.table.length - 1;
    for (let slot = 0; slot < this.size; slot++)
      this.table[this.position(this.gt[slot]!, this.tracker[slot]!)] = slot + 1;
  }
}
