/**
 * The simulated person detector of one camera (trackers-mtmc.md §4.4): raw, pre-clustering proposals.
 * A detected person yields a box (modal when partly hidden, with AR(1) edge noise and a per-track scale
 * bias), a confidence that falls with occlusion and size, and a few jittered overlapping candidates.
 * Misses are bursty (AR(1) latent) and grow with occlusion; close pairs suppress each other. Clutter:
 * transient false positives, mannequins that fire in bursts, and partial upper-body duplicates.
 */
import type { Camera } from './camera.js';
import { Ar1, type Random } from './random.js';
import { ReidModel } from './reid.js';
import type { Box, Sighting } from './visibility.js';

export interface Proposal extends Box {
  confidence: number;
}

/** One object the detector responded to: its candidate boxes share one embedding. */
export interface DetectionObject {
  proposals: Proposal[];
  embedding: Float64Array;
}

const P_MAX = 0.97;
const V50 = 0.25;
const V_SCALE = 0.08;
const H50 = 28;
const H_SCALE = 6;
const MIN_CONFIDENCE = 0.05;

interface TrackNoise {
  miss: Ar1;
  edges: [Ar1, Ar1, Ar1, Ar1];
  confidence: Ar1;
  scaleBias: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function boxIoU(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

export class DetectorModel {
  private readonly noise = new Map<number, TrackNoise>();

  constructor(
    private readonly cam: Camera,
    private readonly reid: ReidModel,
    private readonly rng: Random,
  ) {}

  private trackNoise(object: number): TrackNoise {
    let found = this.noise.get(object);
    if (!found) {
      const r = this.rng.fork(`track-${object}`);
      found = {
        miss: new Ar1(r, 0.85),
        edges: [new Ar1(r, 0.6), new Ar1(r, 0.6), new Ar1(r, 0.6), new Ar1(r, 0.6)],
        confidence: new Ar1(r, 0.7),
        scaleBias: 0.03 * r.normal(),
      };
      this.noise.set(object, found);
    }
    return found;
  }

  /**
   * Proposals of one frame. Sightings of people have ids > 0, mannequins < 0; `floorPoint` draws a
   * person-sized box at a random floor point (null when it falls outside the image).
   */
  frame(sightings: readonly Sighting[], floorPoint: () => Box | null): DetectionObject[] {
    const rng = this.rng;
    const hits: { box: Box; confidence: number; sighting: Sighting }[] = [];
    for (const s of sightings) {
      const noise = this.trackNoise(s.person);
      const u = noise.miss.step();
      const edge = noise.edges.map((e) => e.step());
      const eta = noise.confidence.step();
      if (s.person < 0) {
        // Mannequins fire in bursts, about a quarter of the time, with mid-range confidences.
        if (s.visibility < 0.2 || normalCdf(u) >= 0.25) continue;
        hits.push({ box: this.jitter(s.box, edge, 0.04, 0), confidence: rng.beta(3, 4), sighting: s });
        continue;
      }
      if (s.visibility < 0.05) continue;
      const h = s.box.height;
      const p = P_MAX * sigmoid((s.visibility - V50) / V_SCALE) * sigmoid((h - H50) / H_SCALE);
      if (normalCdf(u) >= p) continue;
      const base = s.modal && s.visibility < 0.8 && rng.next() < 0.7 ? s.modal : s.box;
      const sigmaRel = 0.025 + 0.05 * (1 - s.visibility);
      const confidence = sigmoid(-1.5 + 4 * s.visibility + 0.6 * Math.log(Math.max(h, 1) / 100) + 0.5 * eta);
      hits.push({ box: this.jitter(base, edge, sigmaRel, noise.scaleBias), confidence, sighting: s });
    }

    // Crowd suppression: of two heavily overlapping people, the weaker is lost half of the time.
    const dropped = new Set<number>();
    for (let i = 0; i < hits.length; i++) {
      for (let j = i + 1; j < hits.length; j++) {
        if (hits[i]!.sighting.person < 0 || hits[j]!.sighting.person < 0) continue;
        if (boxIoU(hits[i]!.sighting.box, hits[j]!.sighting.box) <= 0.55 || rng.next() >= 0.5) continue;
        dropped.add(hits[i]!.confidence < hits[j]!.confidence ? i : j);
      }
    }

    const objects: DetectionObject[] = [];
    hits.forEach((hit, i) => {
      if (dropped.has(i)) return;
      const s = hit.sighting;
      const person = s.person > 0;
      const embedding = person
        ? this.reid.observePerson(
            s.person,
            this.cam.name,
            s.viewAngle,
            s.visibility,
            Math.max(s.occluder, 0),
            s.occluderShare,
            rng,
          )
        : this.reid.observeObject(`m${-s.person}`, this.cam.name, rng);
      objects.push({ proposals: this.candidates(hit.box, hit.confidence, person ? 2 : 1.5), embedding });
      if (person && rng.next() < 0.03) {
        // An upper-body duplicate: same left/right, the top 45–65% of the box.
        const b = hit.box;
        const upper = {
          left: b.left + 0.05 * b.width,
          top: b.top,
          width: 0.9 * b.width,
          height: rng.uniform(0.45, 0.65) * b.height,
        };
        objects.push({
          proposals: this.candidates(upper, hit.confidence * rng.uniform(0.3, 0.8), 1),
          embedding: ReidModel.perturbed(embedding, rng),
        });
      }
    });

    // Transient false positives: person-sized boxes at random floor points.
    const transient = rng.poisson(0.6);
    for (let k = 0; k < transient; k++) {
      const box = floorPoint();
      if (!box) continue;
      objects.push({
        proposals: this.candidates(box, rng.beta(1.3, 6), 0.5),
        embedding: ReidModel.random(rng),
      });
    }
    return objects.filter((o) => o.proposals.length > 0);
  }

  /** Box with AR(1) edge noise (σ = sigmaRel × size) and a scale bias, clipped to the image. */
  private jitter(b: Box, edge: number[], sigmaRel: number, scaleBias: number): Box {
    const cx = b.left + b.width / 2;
    const cy = b.top + b.height / 2;
    const w = b.width * (1 + scaleBias);
    const h = b.height * (1 + scaleBias);
    return this.clip(
      cx - w / 2 + sigmaRel * w * edge[0]!,
      cy - h / 2 + sigmaRel * h * edge[1]!,
      cx + w / 2 + sigmaRel * w * edge[2]!,
      cy + h / 2 + sigmaRel * h * edge[3]!,
    );
  }

  private clip(l: number, t: number, r: number, b: number): Box {
    const left = Math.min(Math.max(l, 0), this.cam.width - 2);
    const top = Math.min(Math.max(t, 0), this.cam.height - 2);
    const right = Math.max(Math.min(r, this.cam.width), left + 2);
    const bottom = Math.max(Math.min(b, this.cam.height), top + 2);
    return { left, top, width: right - left, height: bottom - top };
  }

  /** The detector's raw outputs around one object: the box itself plus Poisson(extra) jittered ones. */
  private candidates(box: Box, confidence: number, extra: number): Proposal[] {
    const rng = this.rng;
    const out: Proposal[] = [];
    if (confidence >= MIN_CONFIDENCE) out.push({ ...box, confidence });
    const n = rng.poisson(extra);
    for (let k = 0; k < n; k++) {
      const c = confidence * rng.uniform(0.6, 1);
      const sx = 0.08 * box.width;
      const sy = 0.08 * box.height;
      const b = this.clip(
        box.left + sx * rng.normal(),
        box.top + sy * rng.normal(),
        box.left + box.width + sx * rng.normal(),
        box.top + box.height + sy * rng.normal(),
      );
      if (c >= MIN_CONFIDENCE) out.push({ ...b, confidence: c });
    }
    return out;
  }
}
