/** Small readers of Markdown, the CLI's command table and the zod config schema, for the docs test. */
import type { z } from 'zod';

/** Lines of a Markdown text outside fenced code blocks, with their 1-based line numbers. */
function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  for (const [index, line] of text.split('\n').entries()) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) out.push({ line: index + 1, text: line });
  }
  return out;
}

const withoutCodeSpans = (line: string) => line.replace(/`[^`]*`/g, '');

/** Targets of inline links `[text](target)` outside code. */
export function markdownLinks(text: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  for (const { line, text: prose } of proseLines(text)) {
    for (const match of withoutCodeSpans(prose).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: match[1] as string, line });
    }
  }
  return links;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text: prose } of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(prose)?.[1];
    if (heading === undefined) continue;
    const plain = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(plain) ?? 0;
    seen.set(plain, count + 1);
    anchors.add(count === 0 ? plain : `${plain}-${count}`);
  }
  return anchors;
}

/** Contents of inline code spans outside fenced blocks. */
export function codeSpans(text: string): string[] {
  return proseLines(text).flatMap(({ text: prose }) =>
    [...prose.matchAll(/`([^`]+)`/g)].map((match) => (match[1] as string).trim()),
  );
}

/** Names of the `commands` table in src/cli/main.ts (`name: 'help'` or `'two-words': 'help'` entries). */
export function cliCommandNames(source: string): string[] {
  const table = /const commands[^=]*=\s*\{([\s\S]*?)\n\};/.exec(source)?.[1];
  if (table === undefined) throw new Error('src/cli/main.ts: no `const commands = { … };` table found');
  return [...table.matchAll(/^\s*(?:'([\w-]+)'|"([\w-]+)"|([\w]+))\s*:/gm)].map(
    (match) => (match[1] ?? match[2] ?? match[3]) as string,
  );
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
};

/**
 * Every object key a zod schema accepts, as paths; a record's free key shows as `<key>`, so
 * `bbo.optimizers.<key>.name`. Wrappers (optional, default, pipe, …) are looked through.
 */
export function schemaKeyPaths(schema: z.ZodType, prefix: string[] = []): string[][] {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const inner = def.innerType ?? def.element;
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([key, child]) => [
      [...prefix, key],
      ...schemaKeyPaths(child, [...prefix, key]),
    ]);
  }
  if (def.type === 'record' && def.valueType) return schemaKeyPaths(def.valueType, [...prefix, '<key>']);
  if (def.type === 'pipe' && def.in && def.out) {
    const seen = new Set<string>();
    return [...schemaKeyPaths(def.in, prefix), ...schemaKeyPaths(def.out, prefix)].filter((path) => {
      const id = path.join('.');
      return !seen.has(id) && seen.add(id);
    });
  }
  if (def.type === 'union' && def.options)
    return def.options.flatMap((option) => schemaKeyPaths(option, prefix));
  if (inner) return schemaKeyPaths(inner, prefix);
  return [];
}
