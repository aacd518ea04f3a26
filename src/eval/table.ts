/**
 * Rows of a MOTChallenge-style text file, split as TrackEval's csv reader splits them:
 *  - the delimiter comes from the first line: a comma if it has one, else a tab, else runs of spaces;
 *  - blanks around a field are ignored, and one trailing empty field (a trailing comma) is dropped;
 *  - every field must be a number Python's float() accepts;
 *  - a blank line is rejected, except at the end of the file (pipetune's one deliberate difference:
 *    TrackEval rejects a final blank line too).
 * Rows keep file order; metric results depend on it through the assignment's tie-breaking.
 */
import { inputError, quoted } from '../errors.js';
import { decimalInto, HEAD_DIGITS, MAX_DIGITS, POW10, parseNumber } from './decimal.js';

export interface TextRows {
  file: string;
  count: number;
  /** 1-based line of each row, for error messages. */
  line: Int32Array;
  /** Number of fields in each row. */
  fields: Uint16Array;
  /** Values kept per row (the first columns). */
  width: number;
  /** Row-major `count × width` values; NaN where a row is shorter. */
  values: Float64Array;
}

const COMMA = 44;
const TAB = 9;
const SPACE = 32;
const CR = 13;
const LF = 10;
const POINT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const NINE = 57;
const MAX_FIELDS = 1000;

function delimiterOf(text: Buffer): number {
  let end = text.indexOf(LF);
  if (end < 0) end = text.length;
  const first = text.subarray(0, end);
  if (first.includes(COMMA)) return COMMA;
  if (first.includes(TAB)) return TAB;
  return SPACE; // runs of spaces or tabs
}

/** Row storage, sized from the line length of the file's start so that it rarely has to grow. */
class Growing {
  line: Int32Array;
  fields: Uint16Array;
  values: Float64Array;
  constructor(text: Buffer, width: number) {
    const sample = Math.min(text.length, 1 << 16);
    let lines = 1;
    for (let i = text.indexOf(LF); i >= 0 && i < sample; i = text.indexOf(LF, i + 1)) lines++;
    const rows = Math.ceil((1.1 * text.length * lines) / Math.max(1, sample)) + 64;
    this.line = new Int32Array(rows);
    this.fields = new Uint16Array(rows);
    this.values = new Float64Array(rows * width);
  }
  grow(): void {
    const grownLine = new Int32Array(2 * this.line.length);
    grownLine.set(this.line);
    this.line = grownLine;
    const grownFields = new Uint16Array(2 * this.fields.length);
    grownFields.set(this.fields);
    this.fields = grownFields;
    const grownValues = new Float64Array(2 * this.values.length);
    grownValues.set(this.values);
    this.values = grownValues;
  }
}

/**
 * Parse a whole file's bytes, keeping the first `width` columns of every row. One pass over the
 * bytes: a plain decimal field of up to 19 digits is converted as it is scanned (exactly, see
 * decimalInto); any other field (exponent, nan, more digits, garbage) is cut out and parsed as text.
 */
export function parseRows(text: Buffer, file: string, width: number): TextRows {
  const out = new Growing(text, width);
  const count = scanRows(text, file, width, out);
  return {
    file,
    count,
    line: out.line.subarray(0, count),
    fields: out.fields.subarray(0, count),
    width,
    values: out.values.subarray(0, count * width),
  };
}

/** The scanning loop; fills `out` and returns the number of rows. */
function scanRows(text: Buffer, file: string, width: number, out: Growing): number {
  const delimiter = delimiterOf(text);
  const spaced = delimiter === SPACE;
  const length = text.length;
  let values = out.values;
  const spare = new Float64Array(1);
  let count = 0;
  let blankLine = 0; // first blank line since the last row
  let lineNo = 0;
  for (let pos = 0; pos < length; ) {
    let end = text.indexOf(LF, pos);
    if (end < 0) end = length;
    lineNo++;
    let stop = end;
    if (stop > pos && text[stop - 1] === CR) stop--;
    if (count === out.line.length) {
      out.grow();
      values = out.values;
    }
    const base = count * width;
    let n = 0;
    let i = pos;
    // Bytes at `stop` and beyond are CR, LF or past the end (undefined): neither digits nor blanks.
    for (;;) {
      let ch = text[i]!;
      while ((ch === SPACE || ch === TAB) && i < stop) ch = text[++i]!;
      if (i >= stop) break; // end of line, or an empty last field after a delimiter: dropped
      if (ch === delimiter && !spaced) throw inputError(file, lineNo, `column ${n + 1} is empty`);
      const begin = i;
      let negative = false;
      if (ch === MINUS || ch === PLUS) {
        negative = ch === MINUS;
        ch = text[++i]!;
      }
      // Digits: the first HEAD_DIGITS into `head`, up to MAX_DIGITS in all into `tail`.
      let head = 0;
      let tail = 0;
      let digits = 0;
      let decimals = 0;
      while (ch >= ZERO && ch <= NINE) {
        if (digits < HEAD_DIGITS) head = head * 10 + (ch - ZERO);
        else tail = tail * 10 + (ch - ZERO);
        digits++;
        ch = text[++i]!;
      }
      if (ch === POINT) {
        ch = text[++i]!;
        while (ch >= ZERO && ch <= NINE) {
          if (digits < HEAD_DIGITS) head = head * 10 + (ch - ZERO);
          else tail = tail * 10 + (ch - ZERO);
          digits++;
          decimals++;
          ch = text[++i]!;
        }
      }
      let next = i;
      while ((ch === SPACE || ch === TAB) && next < stop) ch = text[++next]!;
      const delimited = next >= stop || (spaced ? next > i : ch === delimiter);
      // Fields past `width` are checked but not kept: converted into a spare cell.
      const target = n < width ? values : spare;
      const at = n < width ? base + n : 0;
      if (delimited && digits > 0 && digits <= MAX_DIGITS && decimals < POW10.length) {
        const tailDigits = digits > HEAD_DIGITS ? digits - HEAD_DIGITS : 0;
        if (!decimalInto(target, at, negative, head, tail, tailDigits, decimals))
          target[at] = Number(text.toString('latin1', begin, i)); // an undecidable near-tie
      } else if (delimited && digits > 0) {
        target[at] = Number(text.toString('latin1', begin, i)); // a plain decimal, too long for the fast paths
      } else {
        let fieldEnd = begin;
        while (fieldEnd < stop && (spaced ? !isBlank(text[fieldEnd]!) : text[fieldEnd]! !== delimiter))
          fieldEnd++;
        next = fieldEnd;
        while (fieldEnd > begin && isBlank(text[fieldEnd - 1]!)) fieldEnd--;
        const field = text.toString('latin1', begin, fieldEnd);
        const parsed = parseNumber(field);
        if (parsed === undefined)
          throw inputError(file, lineNo, `column ${n + 1} ${quoted(field)} is not a number`);
        target[at] = parsed;
      }
      if (++n > MAX_FIELDS) throw inputError(file, lineNo, `more than ${MAX_FIELDS} fields`);
      i = spaced || next >= stop ? next : next + 1; // past the delimiter
    }
    pos = end + 1;
    if (n === 0) {
      if (blankLine === 0) blankLine = lineNo;
      continue;
    }
    if (blankLine !== 0)
      throw inputError(file, blankLine, 'blank line between rows (only trailing blank lines are allowed)');
    for (let c = n; c < width; c++) values[base + c] = Number.NaN;
    out.line[count] = lineNo;
    out.fields[count] = n;
    count++;
  }
  return count;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}
