import { describe, expect, it } from 'vitest';
import { namesWhere, outcomeTable, runFuzz } from '../../bench/fuzz/fuzz.js';

describe('fuzzed inputs (short seeded form of bench/fuzz)', () => {
  it('300 generated cases through check, eval, render and the built-in pipeline: no crash, hang or unnamed error', async () => {
    const { results, cli } = await runFuzz({ count: 300, seed: 19, cliRuns: 3 });
    const failures = results.filter((r) => !['ok', 'input error'].includes(r.outcome));
    expect(
      failures.map((f) => `${f.target} ${f.outcome}: ${f.message}`),
      outcomeTable(results),
    ).toEqual([]);
    expect(cli.failures).toEqual([]);
    // Every target ran, and some cases of each got through to the end.
    for (const target of ['check', 'eval', 'render', 'builtin'])
      expect(results.filter((r) => r.target === target).length).toBeGreaterThan(30);
    expect(results.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(20);
  }, 120_000);

  it('namesWhere accepts file and config-path messages and refuses the rest', () => {
    expect(namesWhere('/tmp/a b/gt.txt:3: column 2 is empty')).toBe(true);
    expect(namesWhere('parameter_space.Init.Exec.pgiePath: missing')).toBe(true);
    expect(namesWhere('configs/x.yml: not a mapping')).toBe(true);
    expect(namesWhere('Cannot read properties of undefined')).toBe(false);
    expect(namesWhere('internal error: boom')).toBe(false);
    expect(namesWhere('/tmp/x.json: not valid JSON: line\n  next')).toBe(false);
  });
});
