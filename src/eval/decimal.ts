/**
 * Numbers in MOT text files, read as Python's `float()` reads them (TrackEval converts every field with
 * it): decimal or scientific text, `nan`, `inf`, `infinity` in any case, an optional sign. Decimal text
 * becomes the correctly rounded double, as in Python, so the values are bit-identical.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/** The number a field's text (no surrounding blanks) stands for, or undefined if Python would reject it. */
export function parseNumber(field: string): number | undefined {
  if (DECIMAL.test(field)) return Number(field);
  const special = SPECIAL.exec(field);
  if (!special) return undefined;
  if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

export const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
/** Digits the fast paths take: `head` holds up to HEAD_DIGITS (exact, < 2^50), `tail` up to 4 more. */
export const HEAD_DIGITS = 15;
export const MAX_DIGITS = 19;

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;
const LOW = 1 - HIGH;

/** The rounding error of the product p = fl(a·b): a·b = p + error exactly (Dekker, no FMA needed). */
function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * The correctly rounded double of (head·10^tailDigits + tail) / 10^decimals, for head < 10^15,
 * tail < 10^tailDigits, tailDigits <= 4 and decimals <= 22, written to `out[at]`, negated when
 * `negative`; false (and nothing written) when a near-tie makes the check inconclusive (the caller then
 * converts the text). Written rather than returned: a double returned from a call that V8 does not
 * inline is boxed on the heap, and the parser converts millions of fields.
 * Mantissas below 2^53 divide two exact doubles: one correctly rounded operation (Clinger's fast path).
 * Longer ones (16-19 digits, as float32 coordinates printed as doubles have) take the quotient of the
 * rounded mantissa as a candidate x and prove it: with D the exact mantissa, x is correct when
 * |D - x·10^decimals| < ulp(x)·10^decimals / 2, evaluated exactly with double-double products.
 */
export function decimalInto(
  out: Float64Array,
  at: number,
  negative: boolean,
  head: number,
  tail: number,
  tailDigits: number,
  decimals: number,
): boolean {
  const x = roundedQuotient(head, tail, tailDigits, decimals);
  if (Number.isNaN(x)) return false;
  out[at] = negative ? -x : x;
  return true;
}

/**
 * roundedQuotient's NaN. A constant rather than `Number.NaN`: a property load needs type feedback, and
 * the rare undecided branches are first taken in optimised code, which would deoptimise the parser.
 */
const UNDECIDED = Number.NaN;

/** decimalInto's value, NaN when undecided (inlined into decimalInto, so not boxed). */
function roundedQuotient(head: number, tail: number, tailDigits: number, decimals: number): number {
  if (tailDigits === 0) return decimals === 0 ? head : head / POW10[decimals]!;
  const scale = POW10[decimals]!;
  const shifted = head * POW10[tailDigits]!;
  const mantissa = shifted + tail;
  if (mantissa <= Number.MAX_SAFE_INTEGER) return mantissa / scale; // no rounding happened on the way
  // D = mantissa + low exactly: both rounding errors are integers below 2^12, so their sum is exact.
  const low = productError(head, POW10[tailDigits]!, shifted) + (tail - (mantissa - shifted));
  const x = mantissa / scale;
  const product = x * scale;
  const residual = mantissa - product + (low - productError(x, scale, product)); // D - x·scale, error ≤ 2^-48·|terms|
  bits[0] = x;
  const exponent = (words[HIGH]! >>> 20) & 0x7ff;
  if (exponent <= 53 || isPowerOfTwo()) return UNDECIDED; // tiny, or a power of two
  words[HIGH] = (exponent - 53) << 20; // 2^(e - 53): half of x's ulp (Math.pow would be a slow library call)
  words[LOW] = 0;
  const halfUlp = bits[0]!;
  const half = halfUlp * scale; // exact: a power of two times 10^decimals
  if (!decided(residual, half)) return UNDECIDED;
  if (Math.abs(residual) < half) return x;
  // x = fl(fl(D) / 10^decimals) rounds twice, so it can be one ulp off (~2% of MOT17's tracker fields):
  // then its neighbour on the residual's side is the answer. Both steps are exact (same binade).
  const y = residual > 0 ? x + 2 * halfUlp : x - 2 * halfUlp;
  const rest = residual > 0 ? residual - 2 * half : residual + 2 * half;
  bits[0] = y;
  // A power of two's interval is asymmetric (half as wide below it): left to the text conversion.
  if (isPowerOfTwo() || !decided(rest, half)) return UNDECIDED;
  return Math.abs(rest) < half ? y : UNDECIDED;
}

/** Whether |residual| is clearly below or above half an ulp (its error is far below the margin). */
function decided(residual: number, half: number): boolean {
  return Math.abs(Math.abs(residual) - half) > 1e-9 * half;
}

/** Whether the double in `bits` has a zero mantissa. */
function isPowerOfTwo(): boolean {
  return (words[HIGH]! & 0xfffff) === 0 && words[LOW] === 0;
}
