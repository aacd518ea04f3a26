/**
 * calibration.json (Metropolis style): `sensors[].id` and `sensors[].homography`, a 3×3 ground → image
 * matrix that Metropolis inverts to map a box's bottom centre to the floor. We do the same.
 */
import { inputError, printable } from '../../../errors.js';
import { readInputText } from '../../../inputFiles.js';
import { isMapping } from '../../../overlay/index.js';
import { parseJson } from '../../../overlay/json.js';

/** Row-major 3×3. */
export type Homography = Float64Array;

export interface Calibration {
  file: string;
  /** Image → ground homography per sensor id. */
  imageToGround: Map<string, Homography>;
}

export function invert3(m: ArrayLike<number>): Float64Array | null {
  const [a, b, c, d, e, f, g, h, i] = Array.from(m) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const A = e * i - f * h;
  const B = f * g - d * i;
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-300) return null;
  return Float64Array.from([
    A,
    c * h - b * i,
    b * f - c * e,
    B,
    a * i - c * g,
    c * d - a * f,
    C,
    b * g - a * h,
    a * e - b * d,
  ]).map((v) => v / det);
}

/** Ground point of image point (u, v), or null when it maps to infinity (above the horizon). */
export function toGround(h: Homography, u: number, v: number): [number, number] | null {
  const w = h[6]! * u + h[7]! * v + h[8]!;
  if (Math.abs(w) < 1e-12) return null;
  return [(h[0]! * u + h[1]! * v + h[2]!) / w, (h[3]! * u + h[4]! * v + h[5]!) / w];
}

export function parseCalibration(text: string, file: string): Calibration {
  const doc = parseJson(text, file);
  const sensors = isMapping(doc) ? doc.sensors : undefined;
  if (!Array.isArray(sensors)) throw inputError(file, undefined, 'expected an object with a "sensors" list');
  const imageToGround = new Map<string, Homography>();
  sensors.forEach((sensor, k) => {
    const where = `sensors[${k}]`;
    if (!isMapping(sensor) || typeof sensor.id !== 'string')
      throw inputError(file, undefined, `${where}: expected an object with a string "id"`);
    const m = sensor.homography;
    const flat = Array.isArray(m) && m.length === 3 ? m.flat() : [];
    if (flat.length !== 9 || !flat.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw inputError(
        file,
        undefined,
        `${where} (${printable(sensor.id)}): "homography" must be a 3×3 list of numbers`,
      );
    }
    const inverse = invert3(flat as number[]);
    if (!inverse)
      throw inputError(file, undefined, `${where} (${printable(sensor.id)}): the homography is singular`);
    imageToGround.set(sensor.id, inverse);
  });
  return { file, imageToGround };
}

export function readCalibration(file: string): Calibration {
  return parseCalibration(
    readInputText(file, { what: 'the MTMC calibration (give it with --calibration)' }),
    file,
  );
}
