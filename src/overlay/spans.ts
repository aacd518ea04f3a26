/**
 * Where each scalar value of a YAML (or JSON, which YAML's parser also reads) document sits in the
 * source text, keyed by its path of mapping keys. The overlays replace exactly these character
 * ranges, so everything around a value — comments, quotes of other values, indentation, number
 * spellings — stays byte for byte.
 */
import { EVENT_ID, type Event, getScalarValue, parseEvents, SCALAR_STYLE, type ScalarEvent } from 'js-yaml';

export interface ScalarSpan {
  /** Source range of the whole scalar token, quotes included. */
  start: number;
  end: number;
  /** Whether the token is a quoted string (replacing it with a number removes the quotes). */
  quoted: boolean;
  /** Block scalars (`|`, `>`) and multi-line plain scalars span lines: not edited in place. */
  multiline: boolean;
}

type Frame =
  | { kind: 'mapping'; path: string[]; key: string | undefined; expectKey: boolean }
  | { kind: 'sequence'; path: string[]; index: number };

/** Where `*name` is used in place of a value, and the anchor it names. */
export interface AliasUse {
  path: string[];
  anchor: string;
  /** Offset of the `*`. */
  offset: number;
}

export interface SpanIndex {
  /** Key = JSON.stringify(path). */
  scalars: Map<string, ScalarSpan>;
  /** `&name` → the path of the node it anchors (a scalar or a whole collection). */
  anchors: Map<string, string[]>;
  aliases: AliasUse[];
}

export function spanKey(path: string[]): string {
  return JSON.stringify(path);
}

function scalarSpan(source: string, event: ScalarEvent): ScalarSpan | undefined {
  // An empty value (`key:` with nothing after it) has no source range.
  if (event.valueStart < 0) return undefined;
  const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
  const start = quoted ? event.valueStart - 1 : event.valueStart;
  const end = quoted ? event.valueEnd + 1 : event.valueEnd;
  const block = event.style === SCALAR_STYLE.LITERAL_BLOCK || event.style === SCALAR_STYLE.FOLDED_BLOCK;
  return { start, end, quoted, multiline: block || source.slice(start, end).includes('\n') };
}

/**
 * Scalar spans of the first document. Sequence items are addressed by their index as a string.
 * `source` must parse (call after a successful `load`, which reports errors with lines).
 */
export function scalarSpans(source: string): SpanIndex {
  const spans = new Map<string, ScalarSpan>();
  const anchors = new Map<string, string[]>();
  const aliases: AliasUse[] = [];
  const noteAnchor = (event: { anchorStart: number; anchorEnd: number }, path: string[] | undefined) => {
    if (path && event.anchorStart >= 0) anchors.set(source.slice(event.anchorStart, event.anchorEnd), path);
  };
  const stack: Frame[] = [];
  let documents = 0;

  // The path of the value about to start in the innermost collection, and advance that collection.
  const nextValuePath = (): string[] | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    if (top.kind === 'sequence') return [...top.path, String(top.index++)];
    top.expectKey = true;
    return top.key === undefined ? undefined : [...top.path, top.key];
  };

  for (const event of parseEvents(source, {}) as Event[]) {
    if (event.type === EVENT_ID.DOCUMENT && ++documents > 1) break;
    const top = stack[stack.length - 1];
    const atKey = top?.kind === 'mapping' && top.expectKey;
    switch (event.type) {
      case EVENT_ID.SCALAR: {
        if (atKey && top?.kind === 'mapping') {
          top.key = getScalarValue(source, event);
          top.expectKey = false;
          break;
        }
        const path = nextValuePath();
        const span = scalarSpan(source, event);
        if (path && span) spans.set(spanKey(path), span);
        noteAnchor(event, path);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        // A collection used as a mapping key has no usable path; its contents are skipped by path.
        const path = atKey && top?.kind === 'mapping' ? undefined : nextValuePath();
        if (atKey && top?.kind === 'mapping') {
          top.key = undefined;
          top.expectKey = false;
        }
        noteAnchor(event, path);
        const base = path ?? ['\u0000'];
        stack.push(
          event.type === EVENT_ID.MAPPING
            ? { kind: 'mapping', path: base, key: undefined, expectKey: true }
            : { kind: 'sequence', path: base, index: 0 },
        );
        break;
      }
      case EVENT_ID.ALIAS:
        if (atKey && top?.kind === 'mapping') {
          top.key = undefined;
          top.expectKey = false;
        } else {
          const path = nextValuePath();
          const anchor = source.slice(event.anchorStart, event.anchorEnd);
          if (path) aliases.push({ path, anchor, offset: event.anchorStart - 1 });
        }
        break;
      case EVENT_ID.POP:
        if (stack.length > 0) stack.pop();
        break;
      default:
        break;
    }
  }
  return { scalars: spans, anchors, aliases };
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

/** The alias that `path` is, or lies inside (`k: *conf`, or a key of a mapping given as `*base`). */
export function aliasAt(index: SpanIndex, path: string[]): AliasUse | undefined {
  return index.aliases.find((alias) => startsWith(path, alias.path));
}

/** The aliases whose value changes when the value at `path` does (it is, or lies in, an anchored node). */
export function aliasesSharing(index: SpanIndex, path: string[]): AliasUse[] {
  const names = [...index.anchors].filter(([, anchored]) => startsWith(path, anchored)).map(([name]) => name);
  return index.aliases.filter((alias) => names.includes(alias.anchor));
}
