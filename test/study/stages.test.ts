import { describe, expect, it } from 'vitest';
import { cutStages, orderSequences, sequencesAfterStages, stageShares } from '../../src/study/stages.js';

const equal = (n: number, frames = 100) =>
  Array.from({ length: n }, (_, i) => ({ name: `s${i + 1}`, frames }));

describe('stage schedule', () => {
  it('3 stages grow by 3: shares 1/9, 1/3, 1', () => {
    expect(stageShares(3)).toEqual([1 / 9, 1 / 3, 1]);
    expect(stageShares(2)).toEqual([1 / 3, 1]);
  });

  it('cuts 8 equal sequences at 1/9 and 1/3 of the frames: 1, 2, 5 sequences', () => {
    const stages = cutStages(equal(8), stageShares(3));
    expect(stages.map((s) => s.sequences)).toEqual([['s1'], ['s2', 's3'], ['s4', 's5', 's6', 's7', 's8']]);
    expect(stages.map((s) => s.frames)).toEqual([100, 200, 500]);
    expect(sequencesAfterStages(stages)).toEqual([1, 3, 8]);
  });

  it('gives every stage a sequence of its own: 2 sequences make 2 stages', () => {
    expect(cutStages(equal(2), stageShares(3)).map((s) => s.sequences)).toEqual([['s1'], ['s2']]);
  });

  it('a long first sequence ends the first stage alone; the rest follow the shares', () => {
    const seqs = [{ name: 'long', frames: 900 }, ...equal(3)];
    expect(cutStages(seqs, [0.25, 0.5, 1]).map((s) => s.sequences)).toEqual([['long'], ['s1'], ['s2', 's3']]);
  });

  it('orders by the seed, by frames, or as listed; the same seed gives the same order', () => {
    const seqs = [
      { name: 'b', frames: 300 },
      { name: 'a', frames: 100 },
      { name: 'c', frames: 100 },
      { name: 'd', frames: 200 },
    ];
    expect(orderSequences(seqs, 'seqmap', 1).map((s) => s.name)).toEqual(['b', 'a', 'c', 'd']);
    expect(orderSequences(seqs, 'cheapest-first', 1).map((s) => s.name)).toEqual(['a', 'c', 'd', 'b']);
    const shuffled = orderSequences(seqs, 'shuffled', 7).map((s) => s.name);
    expect(orderSequences(seqs, 'shuffled', 7).map((s) => s.name)).toEqual(shuffled);
    expect([...shuffled].sort()).toEqual(['a', 'b', 'c', 'd']);
    const orders = new Set(
      [1, 2, 3, 4, 5, 6].map((seed) =>
        orderSequences(seqs, 'shuffled', seed)
          .map((s) => s.name)
          .join(),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
  });
});
