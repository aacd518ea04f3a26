/**
 * The retail floor of the synthetic scene (world frame: X east, Y north, Z up, metres; floor Z = 0):
 * shelf boxes in aisles, doors, and the aisle waypoint graph people route on.
 */

export interface Shelf {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Floor {
  width: number;
  length: number;
  shelves: Shelf[];
  /** Waypoint positions; the first `doors.length` nodes are the doors. */
  nodes: Point[];
  doors: number[];
  /** Nodes in the middle of a shelf aisle, where people stop to browse. */
  browseNodes: number[];
  /** Adjacency lists (undirected). */
  edges: number[][];
}

const AISLE_X = [2, 6, 10, 14, 18];
const AISLE_Y = [3, 9, 14.5, 20, 26];
/** Cross aisles (rows of AISLE_Y) that run the full width; the others lie between shelves. */
const CROSS_ROWS = new Set([0, 2, 4]);

/** A 20 m × 30 m store: two rows of four 1 m × 6 m shelves, a checkout counter and three doors. */
export function retailFloor(): Floor {
  const shelves: Shelf[] = [];
  for (const cx of [4, 8, 12, 16]) {
    for (const [y0, y1] of [
      [6, 12],
      [17, 23],
    ] as const) {
      shelves.push({ x0: cx - 0.5, y0, x1: cx + 0.5, y1, height: 1.5 });
    }
  }
  shelves.push({ x0: 12.5, y0: 27.5, x1: 16.5, y1: 28.5, height: 1.1 });

  const doorPoints: Point[] = [
    { x: 10, y: 0 },
    { x: 0, y: 26 },
    { x: 20, y: 14.5 },
  ];
  const doorLinks: Point[] = [
    { x: 10, y: 3 },
    { x: 2, y: 26 },
    { x: 18, y: 14.5 },
  ];
  const nodes: Point[] = [...doorPoints];
  const gridIndex = (i: number, j: number) => doorPoints.length + i * AISLE_Y.length + j;
  for (const x of AISLE_X) for (const y of AISLE_Y) nodes.push({ x, y });
  const edges: number[][] = nodes.map(() => []);
  const link = (a: number, b: number) => {
    edges[a]!.push(b);
    edges[b]!.push(a);
  };
  for (let i = 0; i < AISLE_X.length; i++) {
    for (let j = 0; j < AISLE_Y.length; j++) {
      if (j + 1 < AISLE_Y.length) link(gridIndex(i, j), gridIndex(i, j + 1));
      if (i + 1 < AISLE_X.length && CROSS_ROWS.has(j)) link(gridIndex(i, j), gridIndex(i + 1, j));
    }
  }
  doorLinks.forEach((p, door) => {
    link(door, gridIndex(AISLE_X.indexOf(p.x), AISLE_Y.indexOf(p.y)));
  });
  const browseNodes: number[] = [];
  for (let i = 0; i < AISLE_X.length; i++)
    for (let j = 0; j < AISLE_Y.length; j++) if (!CROSS_ROWS.has(j)) browseNodes.push(gridIndex(i, j));
  return { width: 20, length: 30, shelves, nodes, doors: doorPoints.map((_, i) => i), browseNodes, edges };
}

/** Shortest path (node list, both ends included) by Dijkstra on Euclidean edge lengths. */
export function shortestPath(floor: Floor, from: number, to: number): number[] {
  const n = floor.nodes.length;
  const dist = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  dist[from] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i]! < Infinity && (u < 0 || dist[i]! < dist[u]!)) u = i;
    if (u < 0 || u === to) break;
    done[u] = 1;
    const a = floor.nodes[u]!;
    for (const v of floor.edges[u]!) {
      const b = floor.nodes[v]!;
      const d = dist[u]! + Math.hypot(a.x - b.x, a.y - b.y);
      if (d < dist[v]!) {
        dist[v] = d;
        prev[v] = u;
      }
    }
  }
  const path = [to];
  while (path[0] !== from) path.unshift(prev[path[0]!]!);
  return path;
}
