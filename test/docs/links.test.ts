/**
 * The documentation stays whole: every relative link of README.md and docs/*.md reaches a file (and a
 * heading, for `#anchor` links), every CLI subcommand is shown as `pipetune <cmd>` on some docs page, and
 * every key the study-config schema accepts is named on some docs page. Pages and commands are read from
 * disk and from src/cli/main.ts, so new ones are checked without touching this test.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initSchema, studySchema } from '../../src/config/schema.js';
import { cliCommandNames, codeSpans, headingAnchors, markdownLinks, schemaKeyPaths } from './markdown.js';

const root = resolve(import.meta.dirname, '../..');
const docsDir = join(root, 'docs');
const docPages = readdirSync(docsDir)
  .filter((name) => name.endsWith('.md'))
  .map((name) => join(docsDir, name));
const pages = [join(root, 'README.md'), ...docPages];
const read = (file: string) => readFileSync(file, 'utf8');

describe('documentation links', () => {
  it('has docs pages to check', () => {
    expect(docPages.length).toBeGreaterThan(5);
  });

  it('every relative link and #anchor of README.md and docs/*.md resolves', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const { target, line } of markdownLinks(read(page))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        const [pathPart = '', anchor] = target.split('#', 2);
        const file = pathPart === '' ? page : resolve(dirname(page), decodeURIComponent(pathPart));
        const where = `${relative(root, page)}:${line}: ${target}`;
        if (!existsSync(file)) {
          broken.push(`${where}: no such file`);
          continue;
        }
        if (anchor === undefined || anchor === '') continue;
        if (!file.endsWith('.md') || statSync(file).isDirectory()) {
          broken.push(`${where}: an anchor into a file that is not Markdown`);
        } else if (!headingAnchors(read(file)).has(anchor)) {
          broken.push(`${where}: no heading with anchor #${anchor} in ${relative(root, file)}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('every CLI subcommand appears as `pipetune <cmd>` on a docs page', () => {
    const commands = cliCommandNames(read(join(root, 'src/cli/main.ts')));
    expect(commands).toContain('tune');
    const docs = docPages.map(read).join('\n');
    const missing = commands.filter((cmd) => !new RegExp(`pipetune ${cmd}(?![\\w-])`).test(docs));
    expect(missing).toEqual([]);
  });

  it('every study-config key the schema accepts is named on a docs page', () => {
    const spans = docPages.flatMap((page) => codeSpans(read(page)));
    // A key is documented when a code span names it, alone or as a part of a dotted path
    // (`trialTimeout`, `Init.Exec.trialTimeout`, `bbo.optimizers.<id>.batch_size`).
    const segments = new Set(spans.flatMap((span) => span.split('.')));
    const named = (key: string) => segments.has(key);
    const paths = [
      ...schemaKeyPaths(studySchema),
      ...schemaKeyPaths(initSchema).map((path) => ['parameter_space', 'Init', ...path]),
    ];
    expect(paths.map((p) => p.join('.'))).toContain('parameter_space.Init.Exec.trialTimeout');
    const missing = paths.filter((path) => !named(path.at(-1) as string)).map((path) => path.join('.'));
    expect(missing).toEqual([]);
  });
});

describe('markdown readers used above', () => {
  it('anchors follow GitHub: code and punctuation dropped, repeats numbered', () => {
    const anchors = headingAnchors(
      '# Results\n## `pipetune synth`: a data set (MOT)\n```\n# not a heading\n```\n## Results',
    );
    expect([...anchors]).toEqual(['results', 'pipetune-synth-a-data-set-mot', 'results-1']);
  });

  it('links inside code are not links', () => {
    const links = markdownLinks('see [a](a.md#x)\n```\n[b](b.md)\n```\n`[c](c.md)` and [d](d.md "t")');
    expect(links).toEqual([
      { target: 'a.md#x', line: 1 },
      { target: 'd.md', line: 5 },
    ]);
  });

  it('reads the command table, quoted names included', () => {
    const source =
      "const commands: Record<string, string> = {\n  tune: 'x: y',\n  'run-pipeline': 'z',\n};\n";
    expect(cliCommandNames(source)).toEqual(['tune', 'run-pipeline']);
  });

  it('walks objects, records and wrappers of a schema', async () => {
    const { z } = await import('zod');
    const schema = z.object({
      a: z.object({ b: z.number().default(1) }).prefault({}),
      r: z.record(z.string(), z.object({ c: z.string().transform(Number) })).optional(),
    });
    expect(schemaKeyPaths(schema).map((path) => path.join('.'))).toEqual(['a', 'a.b', 'r', 'r.<key>.c']);
  });
});
