import { describe, expect, it } from 'vitest';
import { logEi, logEiWithGradient } from '../../src/optimizers/gp/acquisition.js';
import { fitGp, predict, predictWithGradient } from '../../src/optimizers/gp/model.js';
import { logH, normalCdf, normalQuantile } from '../../src/optimizers/gp/normal.js';
import { minimizeBox } from '../../src/optimizers/lbfgs.js';
import { cholesky, cholInverse, cholSolve, luSolve, symmetricEigen } from '../../src/optimizers/linalg.js';
import { evalRbf, fitRbf } from '../../src/optimizers/rbf.js';
import { warpLosses } from '../../src/optimizers/warp.js';
import { Rng, uniformPoints } from '../../src/space/sampling.js';

function randomSpd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const b = Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += (b[i * n + k] as number) * (b[j * n + k] as number);
      a[i * n + j] = s;
    }
  return a;
}

const matVec = (a: Float64Array, x: ArrayLike<number>, n: number) =>
  Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, k) => (a[i * n + k] as number) * (x[k] as number)).reduce(
      (s, v) => s + v,
      0,
    ),
  );

describe('linear algebra', () => {
  it('solves SPD systems by Cholesky and general ones by LU, and inverts', () => {
    const n = 12;
    const a = randomSpd(n, 1);
    const b = Array.from({ length: n }, (_, i) => Math.sin(i));
    const l = cholesky(a, n) as Float64Array;
    const x = cholSolve(l, n, b);
    for (const [i, v] of matVec(a, x, n).entries()) expect(v).toBeCloseTo(b[i] as number, 9);
    const y = luSolve(a, n, b) as Float64Array;
    for (const [i, v] of y.entries()) expect(v).toBeCloseTo(x[i] as number, 9);
    const inv = cholInverse(l, n);
    const col0 = matVec(
      a,
      Array.from({ length: n }, (_, i) => inv[i * n] as number),
      n,
    );
    col0.forEach((v, i) => {
      expect(v).toBeCloseTo(i === 0 ? 1 : 0, 9);
    });
    expect(cholesky(new Float64Array([1, 2, 2, 1]), 2)).toBeUndefined();
  });

  it('diagonalises a symmetric matrix (A v = λ v)', () => {
    const n = 6;
    const a = randomSpd(n, 2);
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      const v = Array.from({ length: n }, (_, i) => vectors[i * n + k] as number);
      for (const [i, av] of matVec(a, v, n).entries())
        expect(av).toBeCloseTo((values[k] as number) * (v[i] as number), 8);
    }
  });
});

describe('projected L-BFGS', () => {
  it('finds the Rosenbrock minimum and respects active bounds', () => {
    const rosen = (x: Float64Array) => {
      const [a, b] = x as unknown as [number, number];
      return {
        value: 100 * (b - a * a) ** 2 + (1 - a) ** 2,
        grad: new Float64Array([-400 * a * (b - a * a) - 2 * (1 - a), 200 * (b - a * a)]),
      };
    };
    const free = minimizeBox(rosen, [-1.2, 1], [-5, -5], [5, 5], { maxIter: 500, gtol: 1e-8, ftol: 0 });
    expect(free.x[0]).toBeCloseTo(1, 4);
    expect(free.x[1]).toBeCloseTo(1, 4);
    const boxed = minimizeBox(rosen, [-1.2, 0.2], [-5, -5], [5, 0.5], { maxIter: 500, gtol: 1e-8, ftol: 0 });
    expect(boxed.x[1]).toBeCloseTo(0.5, 10);
    expect(boxed.x[0]).toBeCloseTo(Math.sqrt(0.5), 2);
  });
});

describe('normal functions', () => {
  it('matches known values and keeps log EI finite and smooth in the far tail', () => {
    expect(normalCdf(-1)).toBeCloseTo(0.158655253931457, 12);
    expect(normalCdf(4)).toBeCloseTo(0.999968328758167, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 9);
    // h(z) = zΦ(z) + φ(z); reference from Python's math.erfc at z = −10: log h = −55.55312203612325.
    expect(logH(-10).value).toBeCloseTo(-55.55312203612325, 8);
    for (const z of [-60, -20, -3.5, -2.5, 0, 2]) {
      const eps = 1e-5;
      const fd = (logH(z + eps).value - logH(z - eps).value) / (2 * eps);
      expect(logH(z).slope).toBeCloseTo(fd, 4);
    }
  });
});

describe('Gaussian process', () => {
  const X = uniformPoints(3, 25, 4);
  const f = (x: number[]) => Math.sin(6 * (x[0] as number)) + (x[1] as number) ** 2 - 0.5 * (x[2] as number);
  const y = X.map(f);
  const model = fitGp(X, y, [false, false, false]);

  it('fits a smooth function well enough to predict held-out points', () => {
    const test = uniformPoints(3, 50, 5);
    const err = test.map((x) => Math.abs(predict(model, x).mean - f(x)));
    expect(err.reduce((s, v) => s + v, 0) / err.length).toBeLessThan(0.15);
    // Variance collapses at data and grows away from it.
    expect(predict(model, X[0] as number[]).variance).toBeLessThan(
      predict(model, [0.99, 0.01, 0.99]).variance,
    );
  });

  it('has analytic gradients of mean, variance and log EI that match finite differences', () => {
    const x = [0.3, 0.6, 0.2];
    const g = predictWithGradient(model, x);
    const e = logEiWithGradient(model, Math.min(...y), x);
    for (let c = 0; c < 3; c++) {
      const h = 1e-6;
      const up = x.slice();
      const down = x.slice();
      up[c] = (up[c] as number) + h;
      down[c] = (down[c] as number) - h;
      expect(g.dMean[c]).toBeCloseTo((predict(model, up).mean - predict(model, down).mean) / (2 * h), 4);
      expect(g.dVariance[c]).toBeCloseTo(
        (predict(model, up).variance - predict(model, down).variance) / (2 * h),
        4,
      );
      const fd = (logEi(model, Math.min(...y), up) - logEi(model, Math.min(...y), down)) / (2 * h);
      expect(Math.abs((e.grad[c] as number) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });

  it('learns a larger noise for noisy data than for exact data', () => {
    const rng = new Rng(9);
    const noisy = fitGp(
      X,
      y.map((v) => v + 0.3 * rng.normal()),
      [false, false, false],
    );
    expect(noisy.hyper.noise).toBeGreaterThan(10 * model.hyper.noise);
  });
});

describe('RBF surrogate', () => {
  it('interpolates its data and is exact on linear functions', () => {
    const X = uniformPoints(4, 15, 6);
    const lin = (x: number[]) => 2 * (x[0] as number) - (x[3] as number) + 0.5;
    const m = fitRbf(X, X.map(lin));
    for (const x of uniformPoints(4, 5, 7)) expect(evalRbf(m, x)).toBeCloseTo(lin(x), 5);
    const g = (x: number[]) => Math.cos(5 * (x[1] as number));
    const m2 = fitRbf(X, X.map(g));
    for (const x of X) expect(evalRbf(m2, x)).toBeCloseTo(g(x), 4);
  });
});

describe('output warp', () => {
  it('keeps the order, leaves the good half linear and tames a heavy bad tail', () => {
    const losses = [0.1, 0.2, 0.3, 0.4, 0.5, 10, 1e6];
    const w = warpLosses(losses);
    for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThan(w[i - 1] as number);
    expect((w[1] as number) - (w[0] as number)).toBeCloseTo((w[2] as number) - (w[1] as number), 9);
    expect((w[6] as number) - (w[5] as number)).toBeLessThan(3);
  });
});
