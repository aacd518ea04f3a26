import { describe, expect, it } from 'vitest';
import { TextWriter } from '../../src/pipelines/builtin/textWriter.js';

describe('TextWriter', () => {
  it('formats integers and fixed-point numbers like toFixed, without negative zero', () => {
    const w = new TextWriter();
    w.int(0).char(32).int(1234567).char(32).int(-42).char(32);
    w.fixed(12.345678, 2)
      .char(32)
      .fixed(0.5, 4)
      .char(32)
      .fixed(-7.25019, 3)
      .char(32)
      .fixed(-0.001, 2)
      .char(32)
      .fixed(99.999, 2);
    w.text(',-1\n');
    expect(w.bytes().toString('latin1')).toBe('0 1234567 -42 12.35 0.5000 -7.250 0.00 100.00,-1\n');
  });

  it('grows past its initial buffer', () => {
    const w = new TextWriter();
    for (let k = 0; k < 20000; k++) w.int(k).char(10);
    const lines = w.bytes().toString('latin1').trim().split('\n');
    expect(lines).toHaveLength(20000);
    expect(lines[19999]).toBe('19999');
  });
});
