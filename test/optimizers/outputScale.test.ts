import { describe, expect, it } from 'vitest';
import { looPredictions } from '../../src/optimizers/gp/loo.js';
import { condition, fitGp, predict } from '../../src/optimizers/gp/model.js';
import { fitBestScale, midRanks, preferredScale, spearman } from '../../src/optimizers/outputScale.js';
import { standardize } from '../../src/optimizers/warp.js';
import { sobolPoints } from '../../src/space/sampling.js';

const X = sobolPoints(2, 24, 3);
const numeric = [false, false];
const fitModel = (y: number[]) => fitGp(X, y, numeric);

describe('output scale chosen per study', () => {
  it('leave-one-out predictions equal a refit without the point (same hyperparameters and mean)', () => {
    const y = standardize(X.map((x) => Math.sin(4 * (x[0] as number)) + (x[1] as number) ** 2));
    const model = fitModel(y);
    const loo = looPredictions(model, y);
    for (const i of [0, 7, 23]) {
      const rest = X.filter((_, j) => j !== i);
      const held = condition(
        rest,
        y.filter((_, j) => j !== i),
        numeric,
        model.hyper,
        model.mean,
      );
      const p = predict(held, X[i] as number[]);
      expect(loo.mean[i]).toBeCloseTo(p.mean, 6);
      expect(loo.variance[i]).toBeCloseTo(p.variance + model.hyper.noise, 6);
    }
  });

  it('ranks with ties and rank correlation', () => {
    expect(midRanks([3, 1, 3, 2])).toEqual([2.5, 0, 2.5, 1]);
    expect(spearman([1, 2, 3], [10, 20, 1e9])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it('keeps the warp unless the plain fit orders the points strictly better', () => {
    expect(preferredScale({ warped: 0.9, plain: 0.95 })).toBe('plain');
    expect(preferredScale({ warped: 0.95, plain: 0.9 })).toBe('warped');
    expect(preferredScale({ warped: 0.9, plain: 0.9 })).toBe('warped');
  });

  it('follows the data: plain on a smooth bowl, the warp on an exponential tail', () => {
    // The bowl's losses are already Gaussian-process-like; the warp bends them. On the exponential, a few huge
    // losses dominate a plain fit, which then cannot tell the good points apart; the warped fit can.
    const bowl = fitBestScale(
      X.map((x) => ((x[0] as number) - 0.3) ** 2 + ((x[1] as number) - 0.3) ** 2),
      fitModel,
    );
    expect(bowl.scale).toBe('plain');
    expect(bowl.scores.plain).toBeGreaterThan(bowl.scores.warped);
    const tail = fitBestScale(
      X.map((x) => Math.exp(6 * ((x[0] as number) + (x[1] as number)))),
      fitModel,
    );
    expect(tail.scale).toBe('warped');
    expect(tail.scores.warped).toBeGreaterThan(tail.scores.plain);
  });
});
