/**
 * Builds large ASCII outputs (hundreds of thousands of rows) directly into a byte buffer: formatting
 * every number through toFixed and joining strings made result writing a noticeable share of a trial.
 */
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

export class TextWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  char(code: number): this {
    this.reserve(1);
    this.buf[this.pos++] = code;
    return this;
  }

  /** An integer. */
  int(value: number): this {
    this.reserve(24);
    let v = value;
    if (v < 0) {
      this.buf[this.pos++] = 45; // '-'
      v = -v;
    }
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    for (let k = this.pos + digits - 1; k >= this.pos; k--) {
      this.buf[k] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.pos += digits;
    return this;
  }

  /** `value` rounded to `decimals` places, always written with them (like toFixed). */
  fixed(value: number, decimals: number): this {
    const scale = POW10[decimals]!;
    let scaled = Math.round(Math.abs(value) * scale);
    if (value < 0 && scaled > 0) this.char(45);
    const whole = Math.floor(scaled / scale);
    this.int(whole);
    this.char(46); // '.'
    scaled -= whole * scale;
    this.reserve(decimals);
    for (let k = decimals - 1; k >= 0; k--) {
      this.buf[this.pos + k] = 48 + (scaled % 10);
      scaled = Math.floor(scaled / 10);
    }
    this.pos += decimals;
    return this;
  }

  text(s: string): this {
    this.reserve(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
    return this;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
