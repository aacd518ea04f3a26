import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readIni } from '../../src/overlay/ini.js';
import { DEFAULT_APP_CONFIG, generateAppConfig } from '../../src/pipelines/deepstreamConfig.js';
import { KeyFile } from '../../src/pipelines/keyfile.js';
import { commonSize, datasetSources, type SequenceSource } from '../../src/pipelines/sequences.js';
import { FIXTURES } from './studyFixture.js';

const TEMPLATE_PATH = path.join(FIXTURES, 'deepstream', 'app-template.txt');
const TEMPLATE_DIR = path.dirname(TEMPLATE_PATH);
const template = await readFile(TEMPLATE_PATH, 'utf8');

const sources: SequenceSource[] = [
  { name: 'CamB', video: '/data/CamB/video.mkv', size: { width: 1280, height: 720 } },
  { name: 'CamA', video: '/data/CamA/CamA.mp4', size: { width: 1280, height: 720 } },
  { name: 'CamC', video: '/data/CamC.mp4', size: { width: 1280, height: 720 } },
];

function generate(overrides: Partial<Parameters<typeof generateAppConfig>[0]> = {}) {
  return generateAppConfig({
    template,
    templatePath: TEMPLATE_PATH,
    pgie: '/trial/configs/pgie.txt',
    tracker: '/trial/configs/tracker.yml',
    sources,
    kittiDir: '/trial/kitti',
    pinnedGpu: true,
    ...overrides,
  });
}

/** Reads a generated value back with the overlay's GLib reader (an independent parser). */
function value(text: string, group: string, key: string): unknown {
  const found = readIni(text, 'generated', [group, key]);
  return found.found ? found.value : undefined;
}

describe('generated deepstream-app config', () => {
  it("plays one source per sequence, in seqmap order, keeping the template's source settings", () => {
    const { text, streams } = generate();
    const groups = KeyFile.parse(text, 'generated').groupNames();
    expect(groups.filter((g) => g.startsWith('source'))).toEqual(['source0', 'source1', 'source2']);
    expect(value(text, 'source0', 'uri')).toBe('file:///data/CamB/video.mkv');
    expect(value(text, 'source1', 'uri')).toBe('file:///data/CamA/CamA.mp4');
    expect(value(text, 'source2', 'uri')).toBe('file:///data/CamC.mp4');
    for (const group of ['source0', 'source1', 'source2']) {
      expect(value(text, group, 'enable')).toBe(1);
      expect(value(text, group, 'type')).toBe(3);
      expect(value(text, group, 'num-sources')).toBe(1);
      expect(value(text, group, 'cudadec-memtype')).toBe(0);
    }
    expect(streams.map((s) => s.name)).toEqual(['CamB', 'CamA', 'CamC']);
    expect(value(text, 'streammux', 'batch-size')).toBe(3);
    expect(value(text, 'streammux', 'live-source')).toBe(0);
  });

  it('plugs in the rendered PGIE and tracker files and turns the KITTI track dump on', () => {
    const { text } = generate();
    expect(value(text, 'primary-gie', 'config-file')).toBe('/trial/configs/pgie.txt');
    expect(value(text, 'primary-gie', 'enable')).toBe(1);
    expect(value(text, 'tracker', 'll-config-file')).toBe('/trial/configs/tracker.yml');
    expect(value(text, 'tracker', 'enable')).toBe(1);
    expect(value(text, 'tracker', 'll-lib-file')).toBe(
      '/opt/nvidia/deepstream/deepstream/lib/libnvds_nvmultiobjecttracker.so',
    );
    expect(value(text, 'application', 'kitti-track-output-dir')).toBe('/trial/kitti');
    expect(value(text, 'tests', 'file-loop')).toBe(0);
  });

  it("makes the template's relative paths absolute against its folder, and keeps its other settings", () => {
    const { text } = generate();
    expect(value(text, 'primary-gie', 'model-engine-file')).toBe(
      path.resolve(TEMPLATE_DIR, '../models/resnet34_peoplenet.onnx_b2_gpu0_fp16.engine'),
    );
    expect(value(text, 'primary-gie', 'labelfile-path')).toBe(
      path.join(TEMPLATE_DIR, 'labels_peoplenet.txt'),
    );
    expect(value(text, 'application', 'gie-kitti-output-dir')).toBe(path.join(TEMPLATE_DIR, 'kitti-det'));
    expect(value(text, 'primary-gie', 'batch-size')).toBe(2);
    expect(value(text, 'tracker', 'tracker-width')).toBe(960);
    expect(value(text, 'application', 'perf-measurement-interval-sec')).toBe(5);
  });

  it("is headless: the template's sinks become one fakesink behind the tiler, and the OSD is off", () => {
    const { text } = generate();
    const groups = KeyFile.parse(text, 'generated').groupNames();
    expect(groups.filter((g) => g.startsWith('sink'))).toEqual(['sink0']);
    expect(KeyFile.parse(text, 'generated').entries('sink0')).toEqual([
      ['enable', '1'],
      ['type', '1'],
      ['sync', '0'],
    ]);
    expect(value(text, 'osd', 'enable')).toBe(0);
  });

  it('gives every stream its own fakesink when the tiler is off', () => {
    const { text } = generate({
      template: template.replace('[tiled-display]\nenable=1', '[tiled-display]\nenable=0'),
    });
    const config = KeyFile.parse(text, 'generated');
    expect(config.groupNames().filter((g) => g.startsWith('sink'))).toEqual(['sink0', 'sink1', 'sink2']);
    expect([0, 1, 2].map((i) => config.get(`sink${i}`, 'source-id'))).toEqual(['0', '1', '2']);
  });

  it('sets every gpu-id to 0 when the run is pinned (the pinned GPU is the only one it sees)', () => {
    const pinned = KeyFile.parse(generate().text, 'generated');
    const gpuIds = (config: KeyFile) =>
      config.groupNames().flatMap((g) =>
        config
          .entries(g)
          .filter(([k]) => k === 'gpu-id')
          .map(([, v]) => `${g}:${v}`),
      );
    expect(gpuIds(pinned)).toEqual([
      'tiled-display:0',
      'osd:0',
      'streammux:0',
      'primary-gie:0',
      'tracker:0',
      'source0:0',
      'source1:0',
      'source2:0',
    ]);
    const unpinned = KeyFile.parse(generate({ pinnedGpu: false }).text, 'generated');
    expect(new Set(gpuIds(unpinned).map((entry) => entry.split(':')[1]))).toEqual(new Set(['1']));
  });

  it("batches at the sequences' common size, so boxes need no scaling", () => {
    const { text, streams } = generate();
    expect([value(text, 'streammux', 'width'), value(text, 'streammux', 'height')]).toEqual([1280, 720]);
    expect(streams.every((s) => s.scale.x === 1 && s.scale.y === 1)).toBe(true);
    expect(value(text, 'streammux', 'enable-padding')).toBe(1);
  });

  it("with mixed sizes batches at the template's size, without padding, and scales boxes back per stream", () => {
    const mixed: SequenceSource[] = [
      { name: 'Big', video: '/d/big.mp4', size: { width: 3840, height: 2160 } },
      { name: 'Small', video: '/d/small.mp4', size: { width: 640, height: 480 } },
      { name: 'Unknown', video: '/d/unknown.mp4' },
    ];
    const { text, streams } = generate({ sources: mixed });
    expect([value(text, 'streammux', 'width'), value(text, 'streammux', 'height')]).toEqual([1920, 1080]);
    expect(value(text, 'streammux', 'enable-padding')).toBe(0);
    expect(streams).toEqual([
      { name: 'Big', scale: { x: 2, y: 2 } },
      { name: 'Small', scale: { x: 640 / 1920, y: 480 / 1080 } },
      { name: 'Unknown', scale: { x: 1, y: 1 } },
    ]);
  });

  it('removes [source-list] style sources too', () => {
    const listed = template.replace(
      '[tests]',
      '[source-list]\nnum-source-bins=2\nlist=file:///a.mp4;file:///b.mp4\n\n[source-attr-all]\nenable=1\n\n[tests]',
    );
    const groups = KeyFile.parse(generate({ template: listed }).text, 'generated').groupNames();
    expect(groups).not.toContain('source-list');
    expect(groups).not.toContain('source-attr-all');
  });

  it('needs a PGIE and a tracker config from the study or the template', () => {
    const noPgie = template.replace(/^config-file=.*\n/m, '');
    expect(() => generate({ template: noPgie, pgie: undefined })).toThrow(InputError);
    expect(() => generate({ template: noPgie, pgie: undefined })).toThrow(
      '[primary-gie] has no config-file, and the study renders none (set Init.Exec.pgiePath)',
    );
    expect(value(generate({ pgie: undefined }).text, 'primary-gie', 'config-file')).toBe(
      path.join(TEMPLATE_DIR, 'config_infer_primary_peoplenet.txt'),
    );
    expect(() =>
      generate({ template: DEFAULT_APP_CONFIG, templatePath: 'builtin', tracker: undefined }),
    ).toThrow('[tracker] has no ll-config-file');
  });

  it('works from the built-in default template', () => {
    const { text } = generate({
      template: DEFAULT_APP_CONFIG,
      templatePath: '(built-in)',
      sources: sources.slice(0, 2),
    });
    expect(value(text, 'tracker', 'll-lib-file')).toBe(
      '/opt/nvidia/deepstream/deepstream/lib/libnvds_nvmultiobjecttracker.so',
    );
    expect(value(text, 'primary-gie', 'config-file')).toBe('/trial/configs/pgie.txt');
    expect(
      KeyFile.parse(text, 'generated')
        .groupNames()
        .filter((g) => g.startsWith('sink')),
    ).toEqual(['sink0', 'sink1']);
  });
});

describe('key file', () => {
  it('merges a repeated group and keeps the last of a repeated key, as GLib does', () => {
    const config = KeyFile.parse('# c\n[a]\nx=1\ny = two words \n[b]\nz=3\n[a]\nx=4\n', 'f.txt');
    expect(config.groupNames()).toEqual(['a', 'b']);
    expect(config.entries('a')).toEqual([
      ['x', '4'],
      ['y', 'two words '],
    ]);
    expect(config.toString()).toBe('[a]\nx=4\ny=two words \n\n[b]\nz=3\n');
  });

  it('rejects values a key file cannot hold, and reports syntax errors with the line', () => {
    const config = KeyFile.parse('[a]\n', 'f.txt');
    expect(() => config.set('a', 'k', 'two\nlines')).toThrow(InputError);
    expect(() => config.set('a', 'k', ' lead')).toThrow('cannot be written to a key file');
    expect(() => KeyFile.parse('[a]\nno equals sign\n', 'f.txt')).toThrow('f.txt:2:');
  });
});

describe('dataset sources', () => {
  let dataset: string;
  beforeEach(async () => {
    dataset = path.join(await mkdtemp(path.join(tmpdir(), 'pipetune-ds-')), 'data');
    await cp(path.join(FIXTURES, 'dataset'), dataset, { recursive: true });
  });

  it("follows the seqmap, finds each sequence's video and reads its size", async () => {
    expect(await datasetSources(dataset, path.join(dataset, 'seqmap.txt'))).toEqual([
      { name: 'CamB', video: path.join(dataset, 'CamB', 'video.mkv'), size: { width: 1920, height: 1080 } },
      { name: 'CamA', video: path.join(dataset, 'CamA', 'CamA.mp4'), size: { width: 1920, height: 1080 } },
    ]);
  });

  it('without a seqmap plays every sequence folder, sorted; a video may also sit beside the folder', async () => {
    await rm(path.join(dataset, 'CamB', 'video.mkv'));
    await writeFile(path.join(dataset, 'CamB.avi'), '');
    await writeFile(path.join(dataset, 'CamA', 'seqinfo.ini'), '[Sequence]\nname=CamA\nseqLength=10\n');
    expect(await datasetSources(dataset)).toEqual([
      { name: 'CamA', video: path.join(dataset, 'CamA', 'CamA.mp4') },
      { name: 'CamB', video: path.join(dataset, 'CamB.avi'), size: { width: 1920, height: 1080 } },
    ]);
  });

  it('picks <seq>.<ext> among several videos, and refuses an ambiguous or missing video', async () => {
    await writeFile(path.join(dataset, 'CamA', 'other.mp4'), '');
    expect((await datasetSources(dataset))[0]?.video).toBe(path.join(dataset, 'CamA', 'CamA.mp4'));
    await writeFile(path.join(dataset, 'CamB', 'second.mp4'), '');
    await expect(datasetSources(dataset)).rejects.toThrow('several videos (second.mp4, video.mkv)');
    await rm(path.join(dataset, 'CamB', 'second.mp4'));
    await rm(path.join(dataset, 'CamB', 'video.mkv'));
    await expect(datasetSources(dataset)).rejects.toThrow('sequence CamB: no video file');
  });

  it('knows a common size only when every sequence has the same one', () => {
    const a = { name: 'a', video: '/a', size: { width: 10, height: 20 } };
    expect(commonSize([a, { ...a, name: 'b' }])).toEqual({ width: 10, height: 20 });
    expect(commonSize([a, { name: 'b', video: '/b' }])).toBeUndefined();
    expect(commonSize([a, { ...a, size: { width: 10, height: 21 } }])).toBeUndefined();
  });
});
