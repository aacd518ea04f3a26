import { describe, expect, it } from 'vitest';
import { messageStrings } from '../../src/temporal/protoWire.js';

// Length-delimited field `n` holding `bytes`, as the wire format writes it (lengths < 128 here).
const field = (n: number, bytes: Uint8Array) => Uint8Array.from([(n << 3) | 2, bytes.length, ...bytes]);
const text = (s: string) => new TextEncoder().encode(s);
const entry = (k: string, v: string) => Uint8Array.from([...field(1, text(k)), ...field(2, text(v))]);

describe('messageStrings', () => {
  it('finds map<string,string> entries nested in messages, next to other fields', () => {
    const config = Uint8Array.from([
      0x08,
      0x96,
      0x01, // field 1, varint 150
      ...field(8, entry('Keyword01', 'PipetuneStudy')),
      ...field(8, entry('Double01', 'PipetuneBest')),
    ]);
    const record = Uint8Array.from([...field(1, text('info')), ...field(2, config)]);
    expect(messageStrings(record)).toEqual([
      ['Keyword01', 'PipetuneStudy'],
      ['Double01', 'PipetuneBest'],
    ]);
  });

  it('returns nothing for bytes that are not a message, truncated ones included', () => {
    expect(messageStrings(Uint8Array.from([0xff, 0xff, 0xff]))).toEqual([]);
    const whole = field(2, entry('Int03', 'PipetuneTrials'));
    expect(messageStrings(whole.subarray(0, whole.length - 3))).toEqual([]);
  });
});
