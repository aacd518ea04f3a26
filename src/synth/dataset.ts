/**
 * The synthetic multi-camera dataset: a scene (floor, crowd, cameras, mannequins, appearance model)
 * built from a seed, and the text/binary contents of every file, one camera at a time. Pure: the CLI
 * writes what these functions return.
 */
import { type Camera, groundToImage, intrinsicMatrix, placeCameras } from './camera.js';
import { type Person, simulateCrowd } from './crowd.js';
import { DetectorModel } from './detector.js';
import { type Floor, retailFloor } from './floor.js';
import { Random } from './random.js';
import { EMBEDDING_DIM, ReidModel } from './reid.js';
import { cameraGrid, observe, type PersonAt, project, type Sighting } from './visibility.js';

export const SCENE_NAME = 'Retail_Synthetic';

export interface SynthOptions {
  cameras: number;
  seconds: number;
  fps: number;
  people: number;
  seed: number;
}

export interface Scene {
  options: SynthOptions;
  frames: number;
  floor: Floor;
  people: Person[];
  mannequins: PersonAt[];
  cameras: Camera[];
  reid: ReidModel;
  rng: Random;
}

export interface SequenceFiles {
  name: string;
  seqinfo: string;
  /** MOT ground truth: frame,id,left,top,width,height,consider,class,visibility (1-based frames). */
  gt: string;
  /** frame,left,top,width,height,confidence,embedding-row (1-based frames). */
  proposals: string;
  /** Little-endian float32 rows of EMBEDDING_DIM values. */
  embeddings: Float32Array;
  /** This camera's rows of the scene's MTMC ground truth. */
  mtmcGroundTruth: string;
  /** What the camera saw in each frame (0-based), nearest first; kept only when asked (to draw the video). */
  sightings: Sighting[][] | null;
}

const MIN_GT_HEIGHT = 8;
const MIN_EVAL_HEIGHT = 16;
const MIN_EVAL_VISIBILITY = 0.1;
/** MOT17's "distractor" class: hard cases are neither demanded nor penalised by the evaluator. */
const IGNORED_CLASS = 8;

export function buildScene(options: SynthOptions): Scene {
  const rng = new Random(options.seed);
  const floor = retailFloor();
  const frames = Math.round(options.seconds * options.fps);
  const people = simulateCrowd(
    floor,
    { frames, fps: options.fps, people: options.people },
    rng.fork('crowd'),
  );
  const cameras = placeCameras(floor, options.cameras, SCENE_NAME, rng.fork('cameras'));
  const m = rng.fork('mannequins');
  const mannequins: PersonAt[] = [];
  for (let k = 1; k <= 5; k++) {
    const shelf = floor.shelves[m.int(8)]!;
    mannequins.push({
      person: -k,
      x: m.next() < 0.5 ? shelf.x0 - 0.4 : shelf.x1 + 0.4,
      y: m.uniform(shelf.y0 + 0.5, shelf.y1 - 0.5),
      heading: m.uniform(-Math.PI, Math.PI),
      height: m.uniform(1.5, 1.9),
      radius: 0.22,
    });
  }
  return { options, frames, floor, people, mannequins, cameras, reid: new ReidModel(rng.fork('reid')), rng };
}

function peopleAt(people: readonly Person[], frame: number): PersonAt[] {
  const out: PersonAt[] = [];
  for (const p of people) {
    const k = frame - p.firstFrame;
    if (k < 0 || k >= p.x.length) continue;
    out.push({
      person: p.id,
      x: p.x[k]!,
      y: p.y[k]!,
      heading: p.heading[k]!,
      height: p.height,
      radius: p.radius,
    });
  }
  return out;
}

const f2 = (v: number) => v.toFixed(2);

export function renderSequence(scene: Scene, cameraIndex: number, keepSightings = false): SequenceFiles {
  const cam = scene.cameras[cameraIndex]!;
  const camNumber = cameraIndex + 1;
  const grid = cameraGrid(cam, scene.floor);
  const detector = new DetectorModel(cam, scene.reid, scene.rng.fork(`detector-${cam.name}`));
  const clutter = scene.rng.fork(`clutter-${cam.name}`);
  const floorPoint = () => {
    const p = project(cam, {
      person: 0,
      x: clutter.uniform(0, scene.floor.width),
      y: clutter.uniform(0, scene.floor.length),
      heading: 0,
      height: clutter.uniform(1.4, 1.9),
      radius: 0.25,
    });
    return p && p.box.height >= 4 ? p.box : null;
  };
  const gt: string[] = [];
  const mtmc: string[] = [];
  const proposals: string[] = [];
  const embeddings: Float64Array[] = [];
  const seen: Sighting[][] | null = keepSightings ? [] : null;
  for (let frame = 0; frame < scene.frames; frame++) {
    const present = peopleAt(scene.people, frame);
    const sightings = observe(grid, [...present, ...scene.mannequins]);
    seen?.push(sightings);
    const located = new Map(present.map((p) => [p.person, p]));
    for (const s of sightings) {
      if (s.person < 0 || s.box.height < MIN_GT_HEIGHT) continue;
      const b = s.box;
      const at = located.get(s.person)!;
      mtmc.push(
        `${camNumber} ${s.person} ${frame} ${f2(b.left)} ${f2(b.top)} ${f2(b.width)} ${f2(b.height)} ${at.x.toFixed(3)} ${at.y.toFixed(3)}`,
      );
      if (s.visibility <= 0) continue;
      const considered = s.visibility >= MIN_EVAL_VISIBILITY && b.height >= MIN_EVAL_HEIGHT;
      gt.push(
        `${frame + 1},${s.person},${f2(b.left)},${f2(b.top)},${f2(b.width)},${f2(b.height)},${considered ? 1 : 0},${considered ? 1 : IGNORED_CLASS},${s.visibility.toFixed(3)}`,
      );
    }
    for (const object of detector.frame(sightings, floorPoint)) {
      const row = embeddings.length;
      embeddings.push(object.embedding);
      for (const p of object.proposals) {
        proposals.push(
          `${frame + 1},${f2(p.left)},${f2(p.top)},${f2(p.width)},${f2(p.height)},${p.confidence.toFixed(4)},${row}`,
        );
      }
    }
  }
  const packed = new Float32Array(embeddings.length * EMBEDDING_DIM);
  embeddings.forEach((e, i) => {
    packed.set(e, i * EMBEDDING_DIM);
  });
  const o = scene.options;
  const seqinfo = [
    '[Sequence]',
    `name=${cam.name}`,
    'imDir=img1',
    `frameRate=${o.fps}`,
    `seqLength=${scene.frames}`,
    `imWidth=${cam.width}`,
    `imHeight=${cam.height}`,
    'imExt=.jpg',
    '',
  ].join('\n');
  const lines = (rows: string[]) => (rows.length ? `${rows.join('\n')}\n` : '');
  return {
    name: cam.name,
    seqinfo,
    gt: lines(gt),
    proposals: lines(proposals),
    embeddings: packed,
    mtmcGroundTruth: lines(mtmc),
    sightings: seen,
  };
}

const rows3 = (m: readonly number[], cols: number) =>
  Array.from({ length: m.length / cols }, (_, r) => m.slice(r * cols, r * cols + cols));

/** calibration.json in the Metropolis 2025 style; `homography` maps ground → image, as Metropolis expects. */
export function calibrationJson(scene: Scene): string {
  const sensors = scene.cameras.map((cam) => {
    const R = cam.rotation;
    const t = cam.translation;
    const extrinsic = [R[0], R[1], R[2], t[0], R[3], R[4], R[5], t[1], R[6], R[7], R[8], t[2]];
    const K = intrinsicMatrix(cam);
    const P = rows3(extrinsic, 4).flatMap((_, r) =>
      [0, 1, 2, 3].map(
        (c) =>
          K[r * 3]! * extrinsic[c]! + K[r * 3 + 1]! * extrinsic[4 + c]! + K[r * 3 + 2]! * extrinsic[8 + c]!,
      ),
    );
    return {
      type: 'camera',
      id: cam.name,
      coordinates: { x: cam.center[0], y: cam.center[1], z: cam.center[2] },
      attributes: [
        { name: 'fps', value: String(scene.options.fps) },
        { name: 'frameWidth', value: String(cam.width) },
        { name: 'frameHeight', value: String(cam.height) },
      ],
      intrinsicMatrix: rows3(K, 3),
      extrinsicMatrix: rows3(extrinsic, 4),
      cameraMatrix: rows3(P, 4),
      homography: rows3(groundToImage(cam), 3),
    };
  });
  return `${JSON.stringify({ calibrationType: 'cartesian', sensors }, null, 2)}\n`;
}
