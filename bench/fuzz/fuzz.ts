/**
 * Fuzzing the inputs a study reads: generated study configs, seqmaps, seqinfo.ini, gt/det/tracker rows,
 * nvinfer/tracker/MTMC configs, calibrations and MTMC rows, each run through the function the CLI runs
 * for `check` (loadStudyConfig + checkStudyData), `eval` (evaluateMot, evaluateMtmc), `render` and the
 * built-in pipeline (runPipeline). Each case ends in one of: ok, an input error that is one line naming
 * a file (with its line when it has one) or a config path, or a failure: a crash (any other exception,
 * which the CLI prints as an internal error), a bad message (several lines, or naming nothing) or a
 * hang (a case over 10 s). Paths among the generated values include ../, absolute paths, symlinks to
 * /dev/zero and /etc/passwd and a FIFO, so the input checks of src/inputFiles.ts are exercised too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  checkStudyData,
  loadStudyConfig,
  originalParams,
  render,
  StudyConfigError,
} from '../../src/config/index.js';
import { InputError } from '../../src/errors.js';
import { evaluateMot } from '../../src/eval/index.js';
import { evaluateMtmc, parseMtmcRows } from '../../src/eval/mtmc.js';
import { cliEntry, packageRoot } from '../../src/paths.js';
import { runPipeline } from '../../src/pipelines/builtin/runner.js';

export const TARGETS = ['check', 'eval', 'render', 'builtin'] as const;
export type Target = (typeof TARGETS)[number];
export const OUTCOMES = ['ok', 'input error', 'crash', 'bad message', 'hang'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A case over this long counts as a hang. */
export const HANG_MS = 10_000;

export interface CaseResult {
  target: Target;
  outcome: Outcome;
  ms: number;
  /** The error message (crash, bad message or input error). */
  message?: string;
}

// ---- generated values ------------------------------------------------------------------------------

/** Paths a study or a command may name, nasty ones included (made in the root by `prepareRoot`). */
const PATHS = [
  '../../etc/passwd',
  '/etc/passwd',
  '/dev/zero',
  '/proc/self/environ',
  'links/zero.txt',
  'links/passwd.txt',
  'links/environ',
  'links/fifo.txt',
  'links/loop',
  'nowhere/none.txt',
  '',
  '.',
  'configs',
  'data',
];

const number = fc.oneof(
  fc.integer({ min: -5, max: 50 }),
  fc.double({ noDefaultInfinity: false, noNaN: false }),
  fc.constantFrom(0, -0, 1e12, -1e12, 2 ** 31, 2 ** 53, 1e308, Number.NaN, Number.POSITIVE_INFINITY),
);
const word = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'a\u0000b', '\x1b[2J'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
/** A field of a text row: numbers as written, or junk. */
const field = fc.oneof(
  { weight: 6, arbitrary: number.map(String) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x', '1e400', ' 3 ', '0x10', '-', 'NaN', '1,5') },
  { weight: 1, arbitrary: word },
);
const row = (min: number, max: number) =>
  fc.array(field, { minLength: min, maxLength: max }).map((fields) => fields.join(','));
const rows = (min: number, max: number) =>
  fc.array(row(min, max), { maxLength: 12 }).map((lines) => `${lines.join('\n')}\n`);

/** MOT rows that mostly parse: small frames and boxes, with some junk. */
const motRows = (columns: number) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .array(
          fc
            .tuple(
              fc.integer({ min: 1, max: 5 }),
              fc.integer({ min: 1, max: 4 }),
              fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 2, maxLength: 2 }),
              fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 2 }),
            )
            // gt: ...,included,class,visibility; tracker: ...,confidence,x,y,z.
            .map(([f, id, at, size]) =>
              [f, id, ...at, ...size, ...(columns === 9 ? [1, 1, 1] : [0.9, -1, -1, -1])].join(','),
            ),
          { maxLength: 10 },
        )
        .map((l) => `${l.join('\n')}\n`),
    },
    { weight: 2, arbitrary: rows(columns - 2, columns + 2) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );

const junkSeqinfo = fc
  .record({
    header: fc.constantFrom('[Sequence]', '[sequence]', '', '[Other]'),
    seqLength: fc.oneof(fc.integer({ min: 1, max: 8 }).map(String), field),
    imWidth: fc.oneof(fc.constant('640'), field),
    imHeight: fc.oneof(fc.constant('480'), field),
    frameRate: fc.oneof(fc.constant('5'), field),
    extra: fc.oneof(fc.constant(''), word),
  })
  .map(
    (s) =>
      `${s.header}\nname=S01\nseqLength=${s.seqLength}\nimWidth=${s.imWidth}\nimHeight=${s.imHeight}\nframeRate=${s.frameRate}\n${s.extra}\n`,
  );
/** Mostly a valid seqinfo.ini (5 to 8 frames, as the sample sequence has 5), else junk. */
const seqinfo = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 5, max: 8 })
      .map((n) => `[Sequence]\nname=S01\nseqLength=${n}\nimWidth=1920\nimHeight=1080\nframeRate=5\n`),
  },
  { weight: 2, arbitrary: junkSeqinfo },
);

const seqmap = fc.oneof(
  fc.constant('name\nS01\n'),
  fc
    .array(fc.oneof(fc.constant('S01'), word), { maxLength: 4 })
    .map((names) => `name\n${names.join('\n')}\n`),
  fc.string({ maxLength: 40 }),
);

/** JSON-like values for config and MTMC trees. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    number,
    word,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(word, tie('value'), { maxKeys: 3 }),
  ),
})).value;

type Tree = Record<string, unknown>;

/** `arbitrary` in one case of five, else null (fc.option draws null in one case of five). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

/** One mutation of a tree: set, delete or add at a random path (paths chosen from the tree's keys). */
const mutation = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
  op: fc.constantFrom('set', 'delete', 'add', 'path'),
  value: jsonValue,
  key: word,
  pathValue: fc.constantFrom(...PATHS),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(tree: Tree, m: Mutation): void {
  let node: Tree = tree;
  for (const [depth, pick] of m.path.entries()) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[pick % keys.length] as string;
    const child = node[key];
    const last = depth === m.path.length - 1 || typeof child !== 'object' || child === null;
    if (!last) {
      node = child as Tree;
      continue;
    }
    if (m.op === 'delete') delete node[key];
    else if (m.op === 'add')
      Object.defineProperty(node, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else if (m.op === 'path') node[key] = m.pathValue;
    else node[key] = m.value;
    return;
  }
}

/** Text mutations of a config file: lines dropped, doubled or spliced with junk. */
const textMutation = fc.array(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom('drop', 'double', 'junk', 'truncate'),
    junk: fc.oneof(word, field),
  }),
  { maxLength: 3 },
);
function mutateText(text: string, edits: { at: number; op: string; junk: string }[]): string {
  const lines = text.split('\n');
  for (const edit of edits) {
    const i = edit.at % Math.max(lines.length, 1);
    if (edit.op === 'drop') lines.splice(i, 1);
    else if (edit.op === 'double') lines.splice(i, 0, lines[i] ?? '');
    else if (edit.op === 'truncate') lines[i] = (lines[i] ?? '').slice(0, (lines[i] ?? '').length >> 1);
    else lines[i] = `${lines[i] ?? ''}${edit.junk}`;
  }
  return lines.join('\n');
}

// ---- the study root -------------------------------------------------------------------------------

/** A study root with the built-in configs, a small synthetic dataset and the nasty links of PATHS. */
export function prepareRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'pipetune-fuzz-'));
  cpSync(join(packageRoot(), 'configs'), join(root, 'configs'), { recursive: true });
  execFileSync(
    process.execPath,
    [cliEntry(), 'synth', 'data/SDG_sample', '--cameras', '2', '--seconds', '1', '--fps', '5'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  mkdirSync(join(root, 'links'));
  symlinkSync('/dev/zero', join(root, 'links', 'zero.txt'));
  symlinkSync('/etc/passwd', join(root, 'links', 'passwd.txt'));
  symlinkSync('/proc/self/environ', join(root, 'links', 'environ'));
  symlinkSync('loop', join(root, 'links', 'loop'));
  execFileSync('mkfifo', [join(root, 'links', 'fifo.txt')]);
  return root;
}

const SAMPLE = 'data/SDG_sample_videos';
const UTILS = 'data/SDG_sample_utils';

/** The built-in study the check and render cases start from (it passes `check`). */
function baseStudy(): Tree {
  return {
    parameter_space: {
      Init: {
        Exec: {
          pipeline: 'builtin',
          datasetPath: SAMPLE,
          seqmapPath: `${UTILS}/SDG_sample_all.txt`,
          pgiePath: 'configs/config_PGIE/config_infer_primary_builtin.txt',
          trackerPath: 'configs/config_Tracker/config_tracker_builtin.yml',
          mtmcPath: 'configs/config_MTMC/config_mtmc_builtin.json',
          mtmcGroundTruthPath: `${UTILS}/ground_truth.txt`,
          seed: 1,
          trialTimeout: '30m',
        },
        Eval: { metric: 'HOTA' },
      },
      PGIE: { '[class-attrs-all]': { 'nms-iou-threshold': [0.3, 0.7, 'linear', 'real'] } },
      Tracker: { TargetManagement: { probationAge: [0, 12, 'linear', 'int'] } },
      MTMC: { clustering: { clusteringAlgo: ['choice', 'HDBSCAN', 'AgglomerativeClustering'] } },
    },
    servers: { server1: { worker_number: 2 } },
    bbo: { optimizers: { type1: { name: 'tpe', max_iteration: 15, batch_size: 1 } } },
  };
}

// ---- cases ----------------------------------------------------------------------------------------

const checkCase = fc.record({
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  asText: fc.boolean(),
});
const evalCase = fc.record({
  seqinfo,
  seqmap: rarely(seqmap),
  gt: motRows(9),
  tracker: motRows(10),
  mtmcGt: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: rows(7, 11) }),
  mtmcTracker: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: rows(7, 11) }),
  gtLink: rarely(fc.constantFrom(...PATHS.filter((p) => p.startsWith('/')))),
});
const renderCase = fc.record({
  file: fc.constantFrom('pgie', 'tracker', 'mtmc'),
  edits: textMutation,
  mutations: fc.array(mutation, { maxLength: 2 }),
});
const builtinCase = fc.record({
  seqinfo,
  seqmap: rarely(seqmap),
  file: fc.constantFrom('none', 'proposals', 'det', 'pgie', 'tracker', 'mtmc', 'calibration', 'embeddings'),
  text: fc.oneof(rows(5, 9), fc.string({ unit: 'binary', maxLength: 300 })),
  edits: textMutation,
  link: rarely(fc.constantFrom('links/zero.txt', 'links/fifo.txt', 'links/passwd.txt')),
});

export const CASES = fc.oneof(
  checkCase.map((c) => ({ target: 'check' as const, c })),
  evalCase.map((c) => ({ target: 'eval' as const, c })),
  renderCase.map((c) => ({ target: 'render' as const, c })),
  builtinCase.map((c) => ({ target: 'builtin' as const, c })),
);
export type FuzzCase = typeof CASES extends fc.Arbitrary<infer T> ? T : never;

const FILES = {
  pgie: 'configs/config_PGIE/config_infer_primary_builtin.txt',
  tracker: 'configs/config_Tracker/config_tracker_builtin.yml',
  mtmc: 'configs/config_MTMC/config_mtmc_builtin.json',
} as const;

const readText = (path: string) => readFileSync(path, 'utf8');

const studyText = (study: Tree, asText: boolean) =>
  asText ? JSON.stringify(study) : JSON.stringify(study, null, 1);

/** Runs one case in `dir` (a fresh folder inside `root`); throws what the command would report. */
async function runCase(root: string, dir: string, { target, c }: FuzzCase): Promise<void> {
  if (target === 'check') {
    const study = baseStudy();
    for (const m of c.mutations) mutate(study, m);
    const file = join(dir, 'study.yml');
    writeFileSync(file, studyText(study, c.asText));
    const { config } = await loadStudyConfig(file, { root });
    const report = await checkStudyData(config);
    if (report.problems.length > 0) throw new StudyConfigError(file, report.problems);
    return;
  }
  if (target === 'eval') {
    const gtDir = join(dir, 'gt');
    mkdirSync(join(gtDir, 'S01', 'gt'), { recursive: true });
    mkdirSync(join(dir, 'trk'));
    writeFileSync(join(gtDir, 'S01', 'seqinfo.ini'), c.seqinfo);
    if (c.gtLink) symlinkSync(c.gtLink, join(gtDir, 'S01', 'gt', 'gt.txt'));
    else writeFileSync(join(gtDir, 'S01', 'gt', 'gt.txt'), c.gt);
    writeFileSync(join(dir, 'trk', 'S01.txt'), c.tracker);
    const seqmapPath = c.seqmap === null ? undefined : join(dir, 'seqmap.txt');
    if (seqmapPath) writeFileSync(seqmapPath, c.seqmap as string);
    try {
      evaluateMot({ gtDir, trackerDir: join(dir, 'trk'), seqmapPath });
    } finally {
      evaluateMtmc(
        parseMtmcRows(Buffer.from(c.mtmcGt), join(dir, 'mtmc-gt.txt')),
        parseMtmcRows(Buffer.from(c.mtmcTracker), join(dir, 'mtmc.txt')),
      );
    }
    return;
  }
  if (target === 'render') {
    const study = baseStudy();
    for (const m of c.mutations) mutate(study, m);
    const copy = join(dir, 'configs');
    mkdirSync(copy);
    // Mutations may have replaced the tree on the way to Exec; the copies are named where it still is.
    const at = (node: unknown, key: string) =>
      typeof node === 'object' && node !== null ? (node as Tree)[key] : undefined;
    const found = at(at(study.parameter_space, 'Init'), 'Exec');
    const execTree: Tree = typeof found === 'object' && found !== null ? (found as Tree) : {};
    for (const role of ['pgie', 'tracker', 'mtmc'] as const) {
      const text = readText(join(root, FILES[role]));
      const name = FILES[role].split('/').pop() as string;
      writeFileSync(join(copy, name), role === c.file ? mutateText(text, c.edits) : text);
      execTree[`${role}Path`] = join(copy, name);
    }
    const file = join(dir, 'study.yml');
    writeFileSync(file, studyText(study, false));
    const { config } = await loadStudyConfig(file, { root });
    await render(config, originalParams(config), join(dir, 'out'));
    return;
  }
  // builtin: a one-sequence copy of the sample dataset with one file replaced.
  const dataset = join(dir, 'data', 'D_videos');
  const seq = join(dataset, 'S01');
  cpSync(join(root, SAMPLE, 'Retail_Synthetic_Cam01'), seq, { recursive: true });
  const utils = join(dir, 'data', 'D_utils');
  mkdirSync(utils);
  const calibration = readText(join(root, UTILS, 'calibration.json')).replaceAll(
    'Retail_Synthetic_Cam01',
    'S01',
  );
  writeFileSync(join(utils, 'calibration.json'), calibration);
  writeFileSync(join(seq, 'seqinfo.ini'), c.seqinfo);
  const configs: Record<'pgie' | 'tracker' | 'mtmc', string> = { pgie: '', tracker: '', mtmc: '' };
  for (const role of ['pgie', 'tracker', 'mtmc'] as const) {
    configs[role] = join(dir, FILES[role].split('/').pop() as string);
    writeFileSync(configs[role], readText(join(root, FILES[role])));
  }
  const replaced =
    c.file === 'none'
      ? undefined
      : {
          proposals: join(seq, 'proposals', 'proposals.txt'),
          det: join(seq, 'det', 'det.txt'),
          embeddings: join(seq, 'proposals', 'embeddings.f32'),
          calibration: join(utils, 'calibration.json'),
          ...configs,
        }[c.file];
  if (replaced) {
    mkdirSync(join(replaced, '..'), { recursive: true });
    rmSync(replaced, { force: true });
    if (c.link) symlinkSync(join(root, c.link), replaced);
    else if (c.file in configs || c.file === 'calibration') {
      const original = c.file === 'calibration' ? calibration : readText(join(root, FILES[c.file as 'pgie']));
      writeFileSync(replaced, c.edits.length > 0 ? mutateText(original, c.edits) : original + c.text);
    } else writeFileSync(replaced, c.text);
  }
  const seqmapPath = c.seqmap === null ? undefined : join(dir, 'seqmap.txt');
  if (seqmapPath) writeFileSync(seqmapPath, c.seqmap as string);
  await runPipeline({
    dataset,
    seqmap: seqmapPath,
    out: join(dir, 'out'),
    pgie: configs.pgie,
    tracker: configs.tracker,
    mtmc: configs.mtmc,
  });
}

/**
 * An input error message names where: its first segment (before ": ") is a file path (with `:line`
 * when it has one) or a config path, and it is one line. StudyConfigError lists problems, each of
 * which must name a config path or a file too.
 */
export function namesWhere(message: string): boolean {
  if (message.includes('\n')) return false;
  return (
    // An absolute file path (it may hold ':' and spaces), a relative one, or a config path.
    /^\/\S/.test(message) ||
    /^[^\s:]*[./][^\s:]*(:\d+)?: \S/.test(message) ||
    /^(parameter_space|processing|bbo|servers|optim_manager|sequences|parameters|--\w+)\b/.test(message) ||
    /^"[^"]*"(\.[^\s:]+)?: \S/.test(message)
  );
}

export async function classify(root: string, fuzzCase: FuzzCase, index: number): Promise<CaseResult> {
  const dir = join(root, 'cases', String(index));
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  let outcome: Outcome = 'ok';
  let message: string | undefined;
  try {
    await runCase(root, dir, fuzzCase);
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof InputError)) {
      outcome = 'crash';
      message = err instanceof Error ? `${err.stack}` : message;
    } else {
      const lines = err instanceof StudyConfigError ? [err.message, ...err.problems] : [err.message];
      outcome = lines.every(namesWhere) ? 'input error' : 'bad message';
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = Date.now() - started;
  if (ms > HANG_MS) outcome = 'hang';
  return { target: fuzzCase.target, outcome, ms, message };
}

export interface FuzzReport {
  results: CaseResult[];
  /** Real CLI processes: how many ran, and those that hung, crashed or printed a trace. */
  cli: { runs: number; failures: string[] };
}

/** `count` generated cases from `seed`, plus `cliRuns` of them through real `pipetune` processes. */
export async function runFuzz(options: {
  count: number;
  seed: number;
  cliRuns?: number;
  root?: string;
}): Promise<FuzzReport> {
  const root = options.root ?? prepareRoot();
  const cases = fc.sample(CASES, { numRuns: options.count, seed: options.seed });
  const results: CaseResult[] = [];
  for (const [i, fuzzCase] of cases.entries()) results.push(await classify(root, fuzzCase, i));
  const cli = runCliCases(
    root,
    cases.filter((c) => c.target === 'check' || c.target === 'eval').slice(0, options.cliRuns ?? 0),
  );
  if (!options.root) rmSync(root, { recursive: true, force: true });
  return { results, cli };
}

/** `pipetune check` / `pipetune eval` as processes on the files of some cases: exit 0 or 2, no trace, within 10 s. */
function runCliCases(root: string, cases: FuzzCase[]): FuzzReport['cli'] {
  const failures: string[] = [];
  for (const [i, fuzzCase] of cases.entries()) {
    const dir = join(root, 'cases', `cli-${i}`);
    mkdirSync(dir, { recursive: true });
    let args: string[];
    if (fuzzCase.target === 'check') {
      const study = baseStudy();
      for (const m of fuzzCase.c.mutations) mutate(study, m);
      writeFileSync(join(dir, 'study.yml'), studyText(study, fuzzCase.c.asText));
      args = ['check', join(dir, 'study.yml'), '--root', root];
    } else {
      const c = fuzzCase.c as FuzzCase['c'] & { seqinfo: string; gt: string; tracker: string };
      mkdirSync(join(dir, 'gt', 'S01', 'gt'), { recursive: true });
      mkdirSync(join(dir, 'trk'));
      writeFileSync(join(dir, 'gt', 'S01', 'seqinfo.ini'), c.seqinfo);
      writeFileSync(join(dir, 'gt', 'S01', 'gt', 'gt.txt'), c.gt);
      writeFileSync(join(dir, 'trk', 'S01.txt'), c.tracker);
      args = ['eval', '--gt', join(dir, 'gt'), '--tracker', join(dir, 'trk')];
    }
    const run = spawnSync(process.execPath, [cliEntry(), ...args], {
      encoding: 'utf8',
      timeout: HANG_MS,
      killSignal: 'SIGKILL',
    });
    const errors = run.stderr.split('\n').filter((line) => line && !line.startsWith('pipetune: warning:'));
    if (run.signal) failures.push(`${args.join(' ')}: killed after ${HANG_MS / 1000} s`);
    else if (run.status !== 0 && run.status !== 2)
      failures.push(`${args.join(' ')}: exit ${run.status}: ${run.stderr}`);
    else if (/internal error|\n\s+at /.test(run.stderr)) failures.push(`${args.join(' ')}: ${run.stderr}`);
    else if (run.status === 2 && !errors.some((line) => namesWhere(line.replace(/^pipetune: /, ''))))
      failures.push(`${args.join(' ')}: unnamed error: ${run.stderr}`);
    rmSync(dir, { recursive: true, force: true });
  }
  return { runs: cases.length, failures };
}

/** The outcome table: one row per target, one column per outcome. */
export function outcomeTable(results: CaseResult[]): string {
  const header = ['target', ...OUTCOMES, 'slowest ms'];
  const rowsOut = [...TARGETS, 'all' as const].map((target) => {
    const mine = results.filter((r) => target === 'all' || r.target === target);
    return [
      target,
      ...OUTCOMES.map((o) => String(mine.filter((r) => r.outcome === o).length)),
      String(Math.max(0, ...mine.map((r) => r.ms))),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rowsOut.map((r) => (r[i] as string).length)));
  return [header, ...rowsOut]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
