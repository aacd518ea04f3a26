/**
 * Where a YAML flow collection (`[…`, `{…`) that is never closed was opened. The parser notices only
 * later — on the next line, or at the end of the file — and reports that line; the user needs the line
 * of the bracket.
 */

const OPENERS: Record<string, string> = { '[': ']', '{': '}' };

/**
 * Offset of the innermost bracket still open at `end`, or undefined. A bracket counts when it opens a
 * value (after `:`, `-`, `,`, another bracket or at the start of a line) or sits inside a flow
 * collection; quotes and comments are skipped inside flow collections, comments outside too.
 */
export function unclosedBracket(text: string, end: number): number | undefined {
  const open: { offset: number; closer: string }[] = [];
  let quote: string | undefined;
  let lastSignificant = '\n';
  for (let i = 0; i < end && i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && /\s/.test(text[i - 1] ?? '\n')) {
      while (i + 1 < end && text[i + 1] !== '\n') i++;
      continue;
    }
    if (open.length > 0 && (c === '"' || c === "'")) quote = c;
    else if (c in OPENERS && (open.length > 0 || /[:\-,\n[{]/.test(lastSignificant)))
      open.push({ offset: i, closer: OPENERS[c] as string });
    else if (c === open[open.length - 1]?.closer) open.pop();
    if (c === '\n' || !/\s/.test(c)) lastSignificant = c;
  }
  return open[open.length - 1]?.offset;
}
