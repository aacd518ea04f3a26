/**
 * Readers for the MOTChallenge files: ground truth, tracker output, detections, seqinfo.ini and seqmaps.
 * Column meanings and the checks follow TrackEval's MotChallenge2DBox; frame, id, flag and class are
 * truncated toward zero as its `int(float(x))` / `astype(int)` do. Stricter on purpose: negative ids
 * (TrackEval silently merges them with the largest id) and non-finite frames, ids, boxes, flags and
 * classes are rejected with the file and line.
 */

import { inputError, quoted } from '../errors.js';
import { type InputScope, readInput } from '../inputFiles.js';
import { readIni } from '../overlay/ini.js';
import { parseRows, type TextRows } from './table.js';

/** Boxes shared by every MOT file: one row per box, in file order. */
export interface BoxRows {
  file: string;
  count: number;
  /** 1-based line of each row. */
  line: Int32Array;
  /** Number of fields in each row (TrackEval rejects rows of one frame with different counts). */
  fields: Uint16Array;
  frame: Int32Array;
  left: Float64Array;
  top: Float64Array;
  width: Float64Array;
  height: Float64Array;
}

export interface GroundTruthRows extends BoxRows {
  id: Float64Array;
  /** Column 7, `included_for_eval`: rows with 0 are not evaluated. */
  flag: Float64Array;
  /** Column 8: 1 pedestrian, 2/7/8/12 (MOT20: also 6) distractors, … */
  cls: Float64Array;
}

export interface TrackerRows extends BoxRows {
  id: Float64Array;
  confidence: Float64Array;
  /** Column 8 when present, else 1 (pedestrian). */
  cls: Float64Array;
}

export interface DetectionRows extends BoxRows {
  score: Float64Array;
}

const COLUMN_NAMES = ['frame', 'id', 'left', 'top', 'width', 'height', 'column 7', 'class'];

/** How one kind of file is read: its minimum columns and which columns must be finite. */
interface Layout {
  minFields: number;
  names: string;
  /** Ids are read (truncated, >= 0); detections do not use theirs. */
  ids: boolean;
  /** Column 7: `flag` (truncated, finite), `score` (finite) or `confidence` (any number, unused). */
  column7: 'flag' | 'score' | 'confidence';
  /** Column 8: `required` (truncated, finite), `pedestrian` (optional, default 1, must be <= 1) or unused. */
  column8: 'required' | 'pedestrian' | 'unused';
}

const GROUND_TRUTH: Layout = {
  minFields: 8,
  names: 'frame,id,left,top,width,height,flag,class',
  ids: true,
  column7: 'flag',
  column8: 'required',
};
const TRACKER: Layout = {
  minFields: 7,
  names: 'frame,id,left,top,width,height,conf',
  ids: true,
  column7: 'confidence',
  column8: 'pedestrian',
};
const DETECTIONS: Layout = {
  minFields: 7,
  names: 'frame,id,left,top,width,height,score',
  ids: false,
  column7: 'score',
  column8: 'unused',
};

interface Columns {
  frame: Int32Array;
  id: Float64Array;
  left: Float64Array;
  top: Float64Array;
  width: Float64Array;
  height: Float64Array;
  column7: Float64Array;
  cls: Float64Array;
}

/** The largest seqLength: frames are stored as int32. */
export const MAX_SEQ_LENGTH = 2 ** 31 - 1;

/**
 * The columns of every row, checked in one pass: frames within 1..seqLength (TrackEval rejects any
 * other; 1..MAX_SEQ_LENGTH when the length is unknown), finite boxes, and the layout's rules for the
 * other columns.
 */
function extract(table: TextRows, layout: Layout, seqLength: number | undefined): Columns {
  const { file, count, line, fields, values, width: stride } = table;
  const out: Columns = {
    frame: new Int32Array(count),
    id: new Float64Array(count),
    left: new Float64Array(count),
    top: new Float64Array(count),
    width: new Float64Array(count),
    height: new Float64Array(count),
    column7: new Float64Array(count),
    cls: new Float64Array(count),
  };
  const fail = (r: number, reason: string) => inputError(file, line[r]!, reason);
  const last = seqLength ?? MAX_SEQ_LENGTH;
  for (let r = 0, base = 0; r < count; r++, base += stride) {
    if (fields[r]! < layout.minFields)
      throw fail(r, `expected at least ${layout.minFields} columns (${layout.names}), found ${fields[r]}`);
    const frame = Math.trunc(finiteValue(table, r, 0));
    if (!(frame >= 1 && frame <= last)) {
      const range =
        seqLength !== undefined
          ? `within 1..${seqLength} (seqLength)`
          : frame < 1
            ? '>= 1'
            : `<= ${MAX_SEQ_LENGTH}`;
      throw fail(r, `frame ${frame} is not ${range}`);
    }
    out.frame[r] = frame;
    if (layout.ids) {
      const id = Math.trunc(finiteValue(table, r, 1));
      if (id < 0) throw fail(r, `id ${id} is negative; ids must be >= 0`);
      out.id[r] = id;
    }
    out.left[r] = finiteValue(table, r, 2);
    out.top[r] = finiteValue(table, r, 3);
    out.width[r] = finiteValue(table, r, 4);
    out.height[r] = finiteValue(table, r, 5);
    out.column7[r] =
      layout.column7 === 'flag'
        ? Math.trunc(finiteValue(table, r, 6))
        : layout.column7 === 'score'
          ? finiteValue(table, r, 6)
          : values[base + 6]!;
    if (layout.column8 === 'required') out.cls[r] = Math.trunc(finiteValue(table, r, 7));
    else if (layout.column8 === 'pedestrian') {
      const cls = fields[r]! >= 8 ? Math.trunc(finiteValue(table, r, 7)) : 1;
      if (cls > 1) throw fail(r, `class ${cls}: tracker output may only hold pedestrians (class 1, 0 or -1)`);
      out.cls[r] = cls;
    }
  }
  return out;
}

/**
 * The value in row r, column c, which must be finite. A module function rather than a closure made per
 * call: optimised code that inlined one call's closure is deoptimised by the next call's new closure.
 */
function finiteValue({ file, line, values, width }: TextRows, r: number, c: number): number {
  const value = values[r * width + c]!;
  if (!Number.isFinite(value))
    throw inputError(file, line[r]!, `${COLUMN_NAMES[c]} is ${value}, expected a finite number`);
  return value;
}

/** `frame,id,left,top,width,height,included_for_eval,class[,visibility…]` (MOT15: 10 columns, class -1). */
export function parseGroundTruth(text: MotText, file: string, seqLength: number): GroundTruthRows {
  const table = parseRows(bytesOf(text), file, 8);
  const { frame, id, left, top, width, height, column7, cls } = extract(table, GROUND_TRUTH, seqLength);
  const { count, line, fields } = table;
  return { file, count, line, fields, frame, left, top, width, height, id, flag: column7, cls };
}

/** `frame,id,left,top,width,height,conf[,class,…]`: 10 columns as MOTChallenge writes them, or 7. */
export function parseTrackerOutput(text: MotText, file: string, seqLength: number): TrackerRows {
  const table = parseRows(bytesOf(text), file, 8);
  const { frame, id, left, top, width, height, column7, cls } = extract(table, TRACKER, seqLength);
  const { count, line, fields } = table;
  return { file, count, line, fields, frame, left, top, width, height, id, confidence: column7, cls };
}

/**
 * Detections `frame,id,left,top,width,height,score[,x,y,z]` (7 or 10 columns; the id is usually -1 and
 * is not read). Frames must be >= 1, and <= seqLength when it is given.
 */
export function parseDetections(text: MotText, file: string, seqLength?: number): DetectionRows {
  const table = parseRows(bytesOf(text), file, 7);
  const { frame, left, top, width, height, column7 } = extract(table, DETECTIONS, seqLength);
  const { count, line, fields } = table;
  return { file, count, line, fields, frame, left, top, width, height, score: column7 };
}

/** File content: bytes as read, or text (taken as Latin-1, like the bytes of an ASCII file). */
export type MotText = Buffer | string;

const bytesOf = (text: MotText): Buffer => (typeof text === 'string' ? Buffer.from(text, 'latin1') : text);

/**
 * A file's bytes, read through the input checks (a regular file of bounded size, inside `scope` when
 * given); a missing or unreadable file is an input error naming it.
 */
export function readBytes(path: string, what: string, scope?: InputScope): Buffer {
  return readInput(path, { what, scope });
}

export function readGroundTruth(path: string, seqLength: number, scope?: InputScope): GroundTruthRows {
  return parseGroundTruth(readBytes(path, 'ground-truth file', scope), path, seqLength);
}

export function readTrackerOutput(path: string, seqLength: number, scope?: InputScope): TrackerRows {
  return parseTrackerOutput(readBytes(path, 'tracker file', scope), path, seqLength);
}

export function readDetections(path: string, seqLength?: number, scope?: InputScope): DetectionRows {
  return parseDetections(readBytes(path, 'detection file', scope), path, seqLength);
}

/** `seqLength` of the `[Sequence]` group (the number of frames, 1..seqLength) and its line. */
export function parseSeqinfo(text: string, file: string): { seqLength: number; line?: number } {
  const entry = readIni(text, file, ['Sequence', 'seqLength']);
  if (!entry.found)
    throw inputError(file, undefined, `${entry.reason}; expected [Sequence] seqLength=<number of frames>`);
  const value = entry.value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SEQ_LENGTH) {
    throw inputError(
      file,
      entry.line,
      `seqLength must be an integer within 1..${MAX_SEQ_LENGTH}, got ${quoted(String(value))}`,
    );
  }
  return { seqLength: value, line: entry.line };
}

export function readSeqinfo(path: string, scope?: InputScope): { seqLength: number; line?: number } {
  return parseSeqinfo(readBytes(path, 'seqinfo.ini', scope).toString('utf8'), path);
}

/** Empty frames allowed past twice the last frame with a box: about 55 minutes at 30 fps. */
const SPARE_FRAMES = 100_000;

/**
 * Why `seqLength` does not fit files whose last box is on frame `lastFrame`, or undefined when it does.
 * TrackEval (and this evaluator, and the built-in tracker) size per-frame arrays by seqLength; a
 * sequence may end in frames without boxes, but not in millions of them: that is a typo, which would
 * exhaust memory.
 */
export function seqLengthProblem(seqLength: number, lastFrame: number, files: string): string | undefined {
  const limit = 2 * lastFrame + SPARE_FRAMES;
  if (seqLength <= limit) return undefined;
  return `seqLength=${seqLength} is implausibly large: the last frame with a box in ${files} is ${lastFrame}; expected at most ${limit} (2 × ${lastFrame} + ${SPARE_FRAMES})`;
}

/** The largest frame number of the rows (0 when there are none). */
export function lastFrame(frame: Int32Array): number {
  let last = 0;
  for (let r = 0; r < frame.length; r++) if (frame[r]! > last) last = frame[r]!;
  return last;
}

/** A TrackEval seqmap: the header line `name`, then one sequence name per line (text before any comma). */
export function parseSeqmap(text: string, file: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[0]?.split(',')[0]?.trim() !== 'name')
    throw inputError(file, 1, `expected the header line "name", found ${quoted(lines[0] ?? '')}`);
  const names: string[] = [];
  const seen = new Map<string, number>();
  lines.forEach((text, index) => {
    const name = text.split(',')[0]!.trim();
    if (index === 0 || name === '') return;
    const first = seen.get(name);
    if (first !== undefined)
      throw inputError(file, index + 1, `sequence ${quoted(name)} is already listed on line ${first}`);
    seen.set(name, index + 1);
    names.push(name);
  });
  return names;
}

export function readSeqmap(path: string, scope?: InputScope): string[] {
  return parseSeqmap(readBytes(path, 'seqmap', scope).toString('utf8'), path);
}
