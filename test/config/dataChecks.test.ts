import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkStudyData,
  loadStudyConfig,
  StudyConfigError,
  type StudyDataReport,
  validateStudyData,
} from '../../src/config/index.js';
import {
  MOT15_GT,
  MOT17_GT,
  motStudy,
  seqinfo,
  synthSample,
  writeDataset,
  writeFiles,
} from './dataFixture.js';
import { PGIE, sampleRoot, smallStudy, writeStudy } from './helpers.js';

let root: string;
beforeEach(async () => {
  root = await sampleRoot();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const EXEC = 'parameter_space.Init.Exec';

async function dataReport(study: unknown): Promise<StudyDataReport> {
  const { config } = await loadStudyConfig(await writeStudy(root, study), { root });
  return checkStudyData(config);
}

async function dataProblems(study: unknown): Promise<string[]> {
  return (await dataReport(study)).problems;
}

describe('seqmaps and the sequences they list', () => {
  it('accepts a dataset whose listed sequences have seqinfo.ini and gt/gt.txt', async () => {
    await writeDataset(root, { Cam01: {}, Cam02: {} });
    expect(await dataReport(motStudy())).toEqual({ problems: [], warnings: [] });
  });

  it('reports a seqmapPath that does not exist', async () => {
    await writeDataset(root, { Cam01: {} });
    expect(await dataProblems(motStudy({ seqmapPath: 'data/utils/nope.txt' }))).toEqual([
      `${EXEC}.seqmapPath: data/utils/nope.txt does not exist; expected a seqmap: the line "name", then one sequence name per line`,
    ]);
  });

  it('reports a validationSeqmapPath that does not exist', async () => {
    await writeDataset(root, { Cam01: {} });
    expect(await dataProblems(motStudy({ validationSeqmapPath: 'data/utils/val.txt' }))).toEqual([
      `${EXEC}.validationSeqmapPath: data/utils/val.txt does not exist; expected a seqmap: the line "name", then one sequence name per line`,
    ]);
  });

  it('reports an empty seqmap and one without its header', async () => {
    await writeDataset(root, { Cam01: {} });
    await writeFiles(root, { 'data/utils/empty.txt': 'name\n', 'data/utils/bare.txt': 'Cam01\n' });
    expect(
      await dataProblems(
        motStudy({ seqmapPath: 'data/utils/empty.txt', validationSeqmapPath: 'data/utils/bare.txt' }),
      ),
    ).toEqual([
      `${EXEC}.seqmapPath: data/utils/empty.txt lists no sequence; expected one sequence name per line after the header "name"`,
      `${EXEC}.validationSeqmapPath: data/utils/bare.txt:1: expected the header line "name", found "Cam01"`,
    ]);
  });

  it('reports listed sequences without a folder, without ground truth or without seqinfo.ini, all together', async () => {
    await writeDataset(root, { Cam01: {}, Cam02: { gt: null }, Cam03: { seqinfo: null }, Cam04: {} });
    await rm(join(root, 'data/videos/Cam04'), { recursive: true });
    const file = await writeStudy(root, motStudy());
    const { config } = await loadStudyConfig(file, { root });
    const error = await validateStudyData(config).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StudyConfigError);
    expect((error as StudyConfigError).file).toBe(file);
    expect((error as StudyConfigError).problems).toEqual([
      `${EXEC}.seqmapPath: "Cam02" (data/utils/seqmap.txt:3) has no ground truth: data/videos/Cam02/gt/gt.txt does not exist; expected frame,id,left,top,width,height,included_for_eval,class[,visibility] rows`,
      `${EXEC}.seqmapPath: "Cam03" (data/utils/seqmap.txt:4) has no data/videos/Cam03/seqinfo.ini; the evaluation reads its [Sequence] seqLength`,
      `${EXEC}.seqmapPath: "Cam04" (data/utils/seqmap.txt:5) is not in the dataset: data/videos/Cam04/ does not exist`,
    ]);
  });

  it('reports a seqmap none of whose sequences is in the dataset on one line', async () => {
    await writeDataset(root, { Cam01: {} });
    await writeFiles(root, { 'data/utils/other.txt': 'name\nMOT17-02\nMOT17-04\n' });
    expect(await dataProblems(motStudy({ seqmapPath: 'data/utils/other.txt' }))).toEqual([
      `${EXEC}.seqmapPath: none of the 2 sequences of data/utils/other.txt is a folder of ${EXEC}.datasetPath data/videos ("MOT17-02", "MOT17-04"); is it the seqmap of another dataset?`,
    ]);
  });

  it('reports a missing dataset once, not once per sequence', async () => {
    await writeDataset(root, { Cam01: {}, Cam02: {} });
    expect(await dataProblems(motStudy({ datasetPath: 'data/nope' }))).toEqual([
      `${EXEC}.datasetPath: data/nope does not exist; expected a folder of sequences (<seq>/seqinfo.ini, <seq>/gt/gt.txt)`,
    ]);
  });

  it('reads the ground truth as the evaluation does (frames within seqLength)', async () => {
    await writeDataset(root, { Cam01: { seqinfo: seqinfo('Cam01', 1) } });
    expect(await dataProblems(motStudy())).toEqual([
      `${EXEC}.datasetPath: data/videos/Cam01/gt/gt.txt:2: frame 2 is not within 1..1 (seqLength)`,
    ]);
  });

  it('names the key where the config has it (processing.parameter_space)', async () => {
    const study = motStudy({ seqmapPath: 'nope.txt' });
    study.processing = { parameter_space: study.parameter_space };
    delete study.parameter_space;
    await writeDataset(root, { Cam01: {} });
    expect(await dataProblems(study)).toEqual([
      'processing.parameter_space.Init.Exec.seqmapPath: nope.txt does not exist; expected a seqmap: the line "name", then one sequence name per line',
    ]);
  });

  it('warns when the validation seqmap shares sequences with the tuning one', async () => {
    await writeDataset(root, { Cam01: {}, Cam02: {} });
    await writeFiles(root, { 'data/utils/val.txt': 'name\nCam02\n' });
    expect(await dataReport(motStudy({ validationSeqmapPath: 'data/utils/val.txt' }))).toEqual({
      problems: [],
      warnings: [
        `${EXEC}.validationSeqmapPath: data/utils/val.txt shares 1 sequence(s) with ${EXEC}.seqmapPath ("Cam02"), so its score is not held out`,
      ],
    });
  });
});

describe('the benchmark and the ground truth', () => {
  it('accepts MOT17/MOT16/MOT20 on 9-column ground truth and MOT15 on MOT15 ground truth', async () => {
    await writeDataset(root, { Cam01: {} });
    for (const benchmark of ['MOT17', 'MOT16', 'MOT20'])
      expect(await dataProblems(motStudy({ benchmark }))).toEqual([]);
    await writeDataset(root, { Cam01: { gt: MOT15_GT } });
    expect(await dataProblems(motStudy({ benchmark: 'MOT15' }))).toEqual([]);
  });

  it('rejects MOT17 preprocessing on MOT15 ground truth, saying to set MOT15', async () => {
    await writeDataset(root, { Cam01: { gt: MOT15_GT } });
    expect(await dataProblems(motStudy())).toEqual([
      `${EXEC}.benchmark: MOT17 does not fit data/videos/Cam01/gt/gt.txt:1: class -1 (column 8) is not a MOTChallenge class 1..13, and MOT17 preprocessing rejects it in every frame with tracker boxes; the file has MOT15's 10 columns (column 8 is a world coordinate, not a class): set ${EXEC}.benchmark: MOT15`,
    ]);
  });

  it('rejects a class outside 1..13 under MOT20, and lists further files of the same kind on that line', async () => {
    const gt = '1,1,10,10,20,40,1,1,1.0\n1,2,50,10,20,40,1,0,1.0\n';
    await writeDataset(root, { Cam01: { gt }, Cam02: { gt }, Cam03: {} });
    expect(await dataProblems(motStudy({ benchmark: 'MOT20' }))).toEqual([
      `${EXEC}.benchmark: MOT20 does not fit data/videos/Cam01/gt/gt.txt:2: class 0 (column 8) is not a MOTChallenge class 1..13, and MOT20 preprocessing rejects it in every frame with tracker boxes (so do 1 more: data/videos/Cam02/gt/gt.txt)`,
    ]);
  });

  it('rejects MOT15 on ground truth labelled with MOTChallenge 16/17/20 distractor classes', async () => {
    await writeDataset(root, { Cam01: {} });
    expect(await dataProblems(motStudy({ benchmark: 'MOT15' }))).toEqual([
      `${EXEC}.benchmark: MOT15 does not fit data/videos/Cam01/gt/gt.txt: it labels classes (column 8) as MOT16/17/20 do, distractors included (class 7 on line 3), and MOT15 ignores classes, so tracker boxes on distractors count as false positives; set ${EXEC}.benchmark: MOT17, MOT16 or MOT20`,
    ]);
  });

  it('rejects ground truth in which the benchmark scores no row', async () => {
    await writeDataset(root, { Cam01: { gt: '1,1,10,10,20,40,0,1,1.0\n1,2,50,10,20,40,1,7,1.0\n' } });
    expect(await dataProblems(motStudy())).toEqual([
      `${EXEC}.benchmark: MOT17 scores ground-truth rows with included_for_eval (column 7) not 0 and class (column 8) 1, pedestrian, and no sequence of ${EXEC}.seqmapPath data/utils/seqmap.txt has one; every trial would score 0`,
    ]);
  });
});

describe("the pipeline's input", () => {
  it('builtin: every sequence needs proposals/proposals.txt or det/det.txt', async () => {
    const det = '1,-1,10,10,20,40,0.9\n';
    await writeDataset(root, { Cam01: { files: { 'det/det.txt': det } }, Cam02: {} });
    expect(await dataProblems(motStudy({ pipeline: 'builtin', command: undefined, pgiePath: PGIE }))).toEqual(
      [
        `${EXEC}.pipeline: builtin reads the detections of "Cam02" (data/utils/seqmap.txt:3), but neither data/videos/Cam02/proposals/proposals.txt nor data/videos/Cam02/det/det.txt exists`,
      ],
    );
  });

  it('deepstream: every sequence needs a video in its folder or beside it', async () => {
    await writeDataset(root, { Cam01: { files: { 'Cam01.mp4': '' } }, Cam02: {}, Cam03: {} });
    await writeFile(join(root, 'data/videos/Cam03.mkv'), '');
    const exec = { pipeline: 'deepstream', command: undefined, deepstream: { image: 'ds:7' } };
    expect(await dataProblems(motStudy(exec))).toEqual([
      `${EXEC}.pipeline: deepstream plays a video of "Cam02" (data/utils/seqmap.txt:3), but there is none in data/videos/Cam02/ nor a data/videos/Cam02.<ext> (.mp4 .mkv .mov .avi .webm .ts .h264 .h265 .264 .265)`,
    ]);
  });
});

describe('MTMC studies', () => {
  /** smallStudy (builtin, PGIE + NvDCF + MTMC sections) on `pipetune synth` data with 2 cameras. */
  function mtmcStudy(exec: Record<string, unknown> = {}) {
    const study = smallStudy();
    Object.assign(study.parameter_space.Init.Exec, {
      mtmcGroundTruthPath: 'data/SDG_sample_utils/ground_truth.txt',
      ...exec,
    });
    return study;
  }

  it('accepts the data pipetune synth makes', async () => {
    synthSample(root);
    expect(await dataReport(mtmcStudy())).toEqual({ problems: [], warnings: [] });
  });

  it('needs mtmcGroundTruthPath when the study tunes MTMC parameters', async () => {
    synthSample(root);
    expect(await dataProblems(mtmcStudy({ mtmcGroundTruthPath: undefined }))).toEqual([
      `${EXEC}.mtmcGroundTruthPath: missing; the MTMC section tunes 1 parameter(s) that only change the multi-camera output, and without its ground truth (camera id frame left top width height x y rows) trials are scored on the single-camera output they do not change`,
    ]);
  });

  it('reports an MTMC ground truth that does not exist, or that is not MTMC ground truth', async () => {
    synthSample(root);
    expect(await dataProblems(mtmcStudy({ mtmcGroundTruthPath: 'data/gt.txt' }))).toEqual([
      `${EXEC}.mtmcGroundTruthPath: data/gt.txt does not exist; expected multi-camera ground truth, camera id frame left top width height x y rows`,
    ]);
    const motGt = 'data/SDG_sample_videos/Retail_Synthetic_Cam01/gt/gt.txt';
    const [problem] = await dataProblems(mtmcStudy({ mtmcGroundTruthPath: motGt }));
    expect(problem).toMatch(
      new RegExp(`^${EXEC}\\.mtmcGroundTruthPath: ${motGt}:\\d+: frame \\d+\\.\\d+ is not an integer >= 0$`),
    );
  });

  it("reports an MTMC ground truth of other cameras than the seqmap's, and warns on partial overlap", async () => {
    synthSample(root, 3);
    await writeFiles(root, { 'data/utils/cam3.txt': 'name\nRetail_Synthetic_Cam03\n' });
    const gt = 'data/SDG_sample_utils/ground_truth.txt';
    const rows = (await readFile(join(root, gt), 'utf8')).split('\n').filter((l) => /^[12] /.test(l));
    await writeFiles(root, { 'data/utils/gt12.txt': `${rows.join('\n')}\n` });
    expect(
      await dataProblems(
        mtmcStudy({ seqmapPath: 'data/utils/cam3.txt', mtmcGroundTruthPath: 'data/utils/gt12.txt' }),
      ),
    ).toEqual([
      `${EXEC}.mtmcGroundTruthPath: data/utils/gt12.txt has cameras 1, 2, and the sequences of ${EXEC}.seqmapPath data/utils/cam3.txt are cameras 3 (the number their names end in): none in common, so every trial would score 0`,
    ]);
    expect(await dataReport(mtmcStudy({ mtmcGroundTruthPath: 'data/utils/gt12.txt' }))).toEqual({
      problems: [],
      warnings: [
        `${EXEC}.mtmcGroundTruthPath: data/utils/gt12.txt has no rows of "Retail_Synthetic_Cam03"; their multi-camera output is not scored`,
      ],
    });
    await writeFiles(root, {
      'data/utils/cam12.txt': 'name\nRetail_Synthetic_Cam01\nRetail_Synthetic_Cam02\n',
    });
    expect(await dataReport(mtmcStudy({ seqmapPath: 'data/utils/cam12.txt' }))).toEqual({
      problems: [],
      warnings: [
        `${EXEC}.mtmcGroundTruthPath: data/SDG_sample_utils/ground_truth.txt has camera(s) 3 that no sequence of ${EXEC}.seqmapPath data/utils/cam12.txt is; people seen there count as misses in every trial`,
      ],
    });
  });

  it('builtin: needs the calibration, frame size and rate, and camera-numbered sequence names', async () => {
    synthSample(root);
    await rm(join(root, 'data/SDG_sample_utils/calibration.json'));
    expect(await dataProblems(mtmcStudy())).toEqual([
      `${EXEC}.mtmcCalibrationPath: not set, and the built-in MTMC stage's default data/SDG_sample_utils/calibration.json does not exist; the built-in MTMC stage needs the cameras' calibration (sensors[].id, sensors[].homography)`,
    ]);
    synthSample(root);
    const info = join(root, 'data/SDG_sample_videos/Retail_Synthetic_Cam02/seqinfo.ini');
    await writeFile(info, seqinfo('Retail_Synthetic_Cam02', 10, 'imWidth=1920\n'));
    await writeFiles(root, {
      'data/utils/lobby.txt': 'name\nRetail_Synthetic_Cam02\nLobby\n',
      'data/SDG_sample_videos/Lobby/seqinfo.ini': seqinfo(
        'Lobby',
        10,
        'imWidth=1920\nimHeight=1080\nframeRate=5\n',
      ),
      'data/SDG_sample_videos/Lobby/gt/gt.txt': MOT17_GT,
      'data/SDG_sample_videos/Lobby/det/det.txt': '1,-1,10,10,20,40,0.9\n',
    });
    expect(await dataProblems(mtmcStudy({ seqmapPath: 'data/utils/lobby.txt' }))).toEqual([
      `${EXEC}.seqmapPath: data/utils/lobby.txt lists "Lobby", but the built-in MTMC stage needs sequence names that end in their camera number (Cam01 → camera 1)`,
      `${EXEC}.mtmcCalibrationPath: data/SDG_sample_utils/calibration.json has no sensor with id "Lobby"; the built-in MTMC stage needs one per sequence`,
      `${EXEC}.datasetPath: data/SDG_sample_videos/Retail_Synthetic_Cam02/seqinfo.ini: the built-in MTMC stage needs [Sequence] imHeight, frameRate (positive numbers)`,
    ]);
  });

  it('warns that mtmcGroundTruthPath is not used by a study without an MTMC config', async () => {
    await writeDataset(root, { Cam01: {} });
    await writeFiles(root, { 'data/mtmc.txt': '1 1 0 10 10 20 40 1.0 2.0\n' });
    expect(await dataReport(motStudy({ mtmcGroundTruthPath: 'data/mtmc.txt' }))).toEqual({
      problems: [],
      warnings: [
        `${EXEC}.mtmcGroundTruthPath: not used: the study has no MTMC config (${EXEC}.mtmcPath), so trials are scored on single-camera metrics`,
      ],
    });
  });
});
