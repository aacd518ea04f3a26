/**
 * People walking, browsing and crossing on the retail floor (trackers-mtmc.md §4.2): each person routes
 * over the aisle graph through a few browse spots to a door, steering toward the next waypoint with
 * Ornstein–Uhlenbeck heading noise, social repulsion and shelf avoidance; browse stops make stationary,
 * co-located targets. The population is kept at `people`: whoever leaves is replaced at a random door.
 */
import { type Floor, type Point, shortestPath } from './floor.js';
import type { Random } from './random.js';

export interface Person {
  /** 1-based, in order of appearance. */
  id: number;
  height: number;
  radius: number;
  firstFrame: number;
  /** Per frame from firstFrame on: ground position (with gait sway) and walking heading (radians). */
  x: Float64Array;
  y: Float64Array;
  heading: Float64Array;
}

export interface CrowdOptions {
  frames: number;
  fps: number;
  people: number;
}

interface Waypoint extends Point {
  dwellFrames: number;
  exit: boolean;
}

interface Agent {
  id: number;
  height: number;
  radius: number;
  speed: number;
  firstFrame: number;
  px: number;
  py: number;
  vx: number;
  vy: number;
  heading: number;
  headingNoise: number;
  route: Waypoint[];
  next: number;
  dwellLeft: number;
  track: { x: number[]; y: number[]; heading: number[] };
}

const STEER_TIME = 0.5;
const HEADING_TIME = 1.0;
const HEADING_SD = (10 * Math.PI) / 180;
const ARRIVE_RADIUS = 0.4;
const GAIT_SWAY = 0.01;

function clip(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

function planRoute(floor: Floor, start: number, rng: Random, fps: number): Waypoint[] {
  const stops = 1 + rng.int(3);
  const targets: number[] = [];
  for (let i = 0; i < stops; i++) targets.push(floor.browseNodes[rng.int(floor.browseNodes.length)]!);
  targets.push(floor.doors[rng.int(floor.doors.length)]!);
  const route: Waypoint[] = [];
  let from = start;
  targets.forEach((to, k) => {
    const exit = k === targets.length - 1;
    const path = to === from ? [to] : shortestPath(floor, from, to).slice(1);
    path.forEach((node, i) => {
      const p = floor.nodes[node]!;
      const last = i === path.length - 1;
      if (exit && last) {
        route.push({ x: p.x, y: p.y, dwellFrames: 0, exit: true });
        return;
      }
      // Browsing: stand next to a shelf side for 2–10 s; walking: keep off the aisle centre line.
      const browse = last && rng.next() < 0.7;
      const side = rng.next() < 0.5 ? -1 : 1;
      route.push({
        x: browse ? clip(p.x + side * 0.9, 0.5, floor.width - 0.5) : p.x + rng.uniform(-0.45, 0.45),
        y: p.y + rng.uniform(-0.45, 0.45),
        dwellFrames: browse ? Math.round(rng.uniform(2, 10) * fps) : 0,
        exit: false,
      });
    });
    from = to;
  });
  return route;
}

function spawn(id: number, frame: number, floor: Floor, node: number, rng: Random, fps: number): Agent {
  const p = floor.nodes[node]!;
  return {
    id,
    height: clip(rng.gaussian(1.7, 0.08), 1.5, 1.95),
    radius: rng.uniform(0.2, 0.28),
    speed: clip(rng.gaussian(1.25, 0.2), 0.5, 2.0),
    firstFrame: frame,
    px: clip(p.x, 0.3, floor.width - 0.3),
    py: clip(p.y, 0.3, floor.length - 0.3),
    vx: 0,
    vy: 0,
    heading: rng.uniform(-Math.PI, Math.PI),
    headingNoise: 0,
    route: planRoute(floor, node, rng, fps),
    next: 0,
    dwellLeft: 0,
    track: { x: [], y: [], heading: [] },
  };
}

/** Desired velocity toward the current waypoint; advances the route and handles browse stops. */
function desiredVelocity(a: Agent, dt: number, rng: Random): [number, number] {
  if (a.dwellLeft > 0) {
    a.dwellLeft--;
    return [0, 0];
  }
  const w = a.route[a.next]!;
  const dx = w.x - a.px;
  const dy = w.y - a.py;
  const d = Math.hypot(dx, dy);
  if (d < ARRIVE_RADIUS && !w.exit) {
    a.dwellLeft = w.dwellFrames;
    a.next++;
    return [0, 0];
  }
  a.headingNoise +=
    (-a.headingNoise / HEADING_TIME) * dt + HEADING_SD * Math.sqrt((2 * dt) / HEADING_TIME) * rng.normal();
  const angle = Math.atan2(dy, dx) + a.headingNoise;
  const speed = Math.min(a.speed, d / STEER_TIME);
  return [speed * Math.cos(angle), speed * Math.sin(angle)];
}

function repel(agents: Agent[], dt: number): void {
  for (let i = 0; i < agents.length; i++) {
    const a = agents[i]!;
    for (let j = i + 1; j < agents.length; j++) {
      const b = agents[j]!;
      let dx = a.px - b.px;
      let dy = a.py - b.py;
      const d = Math.hypot(dx, dy) || 1e-6;
      if (d > 1.5) continue;
      dx /= d;
      dy /= d;
      const gap = a.radius + b.radius + 0.1;
      const force = Math.min(4, 2 * Math.exp((gap - d) / 0.3)) * dt;
      a.vx += force * dx;
      a.vy += force * dy;
      b.vx -= force * dx;
      b.vy -= force * dy;
      if (d < gap) {
        const push = (gap - d) / 2;
        a.px += push * dx;
        a.py += push * dy;
        b.px -= push * dx;
        b.py -= push * dy;
      }
    }
  }
}

function keepOffShelves(a: Agent, floor: Floor): void {
  for (const s of floor.shelves) {
    const r = a.radius + 0.05;
    if (a.px <= s.x0 - r || a.px >= s.x1 + r || a.py <= s.y0 - r || a.py >= s.y1 + r) continue;
    const out = [a.px - (s.x0 - r), s.x1 + r - a.px, a.py - (s.y0 - r), s.y1 + r - a.py];
    const k = out.indexOf(Math.min(...out));
    if (k === 0) a.px = s.x0 - r;
    else if (k === 1) a.px = s.x1 + r;
    else if (k === 2) a.py = s.y0 - r;
    else a.py = s.y1 + r;
  }
  a.px = clip(a.px, a.radius, floor.width - a.radius);
  a.py = clip(a.py, a.radius, floor.length - a.radius);
}

function toPerson(a: Agent): Person {
  return {
    id: a.id,
    height: a.height,
    radius: a.radius,
    firstFrame: a.firstFrame,
    x: Float64Array.from(a.track.x),
    y: Float64Array.from(a.track.y),
    heading: Float64Array.from(a.track.heading),
  };
}

export function simulateCrowd(floor: Floor, options: CrowdOptions, rng: Random): Person[] {
  const dt = 1 / options.fps;
  const people: Person[] = [];
  let nextId = 1;
  const agents: Agent[] = [];
  for (let i = 0; i < options.people; i++) {
    agents.push(
      spawn(nextId++, 0, floor, floor.browseNodes[rng.int(floor.browseNodes.length)]!, rng, options.fps),
    );
  }
  const arrivals: number[] = [];
  for (let frame = 0; frame < options.frames; frame++) {
    while (arrivals.length > 0 && arrivals[0]! <= frame) {
      arrivals.shift();
      agents.push(spawn(nextId++, frame, floor, floor.doors[rng.int(floor.doors.length)]!, rng, options.fps));
    }
    for (const a of agents) {
      const [ux, uy] = desiredVelocity(a, dt, rng);
      a.vx += ((ux - a.vx) * dt) / STEER_TIME;
      a.vy += ((uy - a.vy) * dt) / STEER_TIME;
    }
    repel(agents, dt);
    for (const a of agents) {
      a.px += a.vx * dt;
      a.py += a.vy * dt;
      keepOffShelves(a, floor);
      if (Math.hypot(a.vx, a.vy) > 0.2) a.heading = Math.atan2(a.vy, a.vx);
      a.track.x.push(a.px + GAIT_SWAY * rng.normal());
      a.track.y.push(a.py + GAIT_SWAY * rng.normal());
      a.track.heading.push(a.heading);
    }
    for (let i = agents.length - 1; i >= 0; i--) {
      const a = agents[i]!;
      const w = a.route[a.next]!;
      if (!w.exit || Math.hypot(w.x - a.px, w.y - a.py) > 0.6) continue;
      people.push(toPerson(a));
      agents.splice(i, 1);
      arrivals.push(frame + 1 + Math.round(rng.uniform(0, 2) * options.fps));
      arrivals.sort((p, q) => p - q);
    }
  }
  for (const a of agents) people.push(toPerson(a));
  return people.sort((p, q) => p.id - q.id);
}
