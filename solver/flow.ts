/**
 * Integral maximum flow (Dinic) and seeded dependent rounding of fractional flows.
 *
 * The team-assignment network of one department component is
 *   S → inspector (cap totalCapacity) → inspector×day (cap dailyCapacity) → seat → T
 * so an integral flow saturating the seats is a feasible team assignment, and rounding a
 * fractional flow edge by edge to ⌊x⌋ or ⌈x⌉ keeps every capacity.
 */

export class FlowNetwork {
  readonly to: number[] = [];
  readonly cap: number[] = [];
  private readonly head: number[];
  private readonly next: number[] = [];
  private level: Int32Array;
  private iter: Int32Array;

  constructor(readonly nodes: number) {
    this.head = new Array<number>(nodes).fill(-1);
    this.level = new Int32Array(nodes);
    this.iter = new Int32Array(nodes);
  }

  /** Adds u→v with capacity `cap`; returns the edge index (its reverse is index ^ 1). */
  addEdge(u: number, v: number, cap: number): number {
    const e = this.to.length;
    this.to.push(v, u);
    this.cap.push(cap, 0);
    this.next.push(this.head[u]!, this.head[v]!);
    this.head[u] = e;
    this.head[v] = e + 1;
    return e;
  }

  /** Flow on forward edge e (the residual of its reverse). */
  flow(e: number): number {
    return this.cap[e ^ 1]!;
  }

  private bfs(s: number, t: number): boolean {
    this.level.fill(-1);
    const q = new Int32Array(this.nodes);
    let qh = 0;
    let qt = 0;
    q[qt++] = s;
    this.level[s] = 0;
    while (qh < qt) {
      const u = q[qh++]!;
      for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
        const v = this.to[e]!;
        if (this.cap[e]! > 0 && this.level[v]! < 0) {
          this.level[v] = this.level[u]! + 1;
          q[qt++] = v;
        }
      }
    }
    return this.level[t]! >= 0;
  }

  private dfs(u: number, t: number, f: number): number {
    if (u === t) return f;
    for (let e = this.iter[u]!; e !== -1; e = this.next[e]!, this.iter[u] = e) {
      const v = this.to[e]!;
      if (this.cap[e]! > 0 && this.level[v] === this.level[u]! + 1) {
        const d = this.dfs(v, t, Math.min(f, this.cap[e]!));
        if (d > 0) {
          this.cap[e] = this.cap[e]! - d;
          this.cap[e ^ 1] = this.cap[e ^ 1]! + d;
          return d;
        }
      }
    }
    this.iter[u] = -1;
    return 0;
  }

  /** Sets the capacity of an edge that carries no flow yet. */
  setCapacity(e: number, cap: number): void {
    this.cap[e] = cap - this.cap[e ^ 1]!;
  }

  /**
   * Removes `units` of flow that leave through forward edge e, walking back along edges that
   * carry flow until `source` (valid in acyclic networks such as the team networks).
   */
  cancel(e: number, units: number, source: number): void {
    for (let n = 0; n < units; n++) {
      const path = [e];
      let v = this.to[e ^ 1]!; // tail of e
      while (v !== source) {
        let back = -1;
        for (let r = this.head[v]!; r !== -1; r = this.next[r]!)
          if ((r & 1) === 1 && this.cap[r]! > 0) {
            back = r ^ 1;
            break;
          }
        if (back < 0) throw new Error("internal: flow decomposition lost its way");
        path.push(back);
        v = this.to[back ^ 1]!;
      }
      for (const f of path) {
        this.cap[f] = this.cap[f]! + 1;
        this.cap[f ^ 1] = this.cap[f ^ 1]! - 1;
      }
    }
  }

  maxflow(s: number, t: number): number {
    let total = 0;
    while (this.bfs(s, t)) {
      for (let i = 0; i < this.nodes; i++) this.iter[i] = this.head[i]!;
      let f: number;
      while ((f = this.dfs(s, t, Infinity)) > 0) total += f;
    }
    return total;
  }
}

/**
 * Dependent rounding of a fractional flow (Gandhi et al. 2006, generalised from bipartite
 * graphs to flow networks as in Jecmen et al. 2020): while some edge is fractional, find a cycle
 * of fractional edges (one exists: flow is conserved and the source/sink totals are integral, so
 * every node touching a fractional edge touches two), and push ±δ around it with the
 * probabilities that keep every edge's expectation. Each step makes at least one edge integral.
 *
 * Guarantees: every edge ends integral with E[final] = x, conservation holds. Without `upper`,
 * every edge ends at ⌊x⌋ or ⌈x⌉; with `upper` (integral capacities), an edge may move anywhere
 * in [0, upper] — used for capacity edges, whose values are only sums: they then stay movable
 * longer, which keeps the cycles short. `val` is rounded in place; `random()` supplies every
 * coin flip, in a fixed order.
 */
export function dependentRound(
  from: ArrayLike<number>,
  to: ArrayLike<number>,
  val: Float64Array,
  nodes: number,
  random: () => number,
  eps: number,
  upper?: ArrayLike<number>,
): void {
  const m = val.length;
  const snap = (e: number) => {
    const r = Math.round(val[e]!);
    if (Math.abs(val[e]! - r) <= eps) val[e] = r;
  };
  for (let e = 0; e < m; e++) snap(e);
  const frac = (e: number) => val[e] !== Math.floor(val[e]!);
  // CSR adjacency
  const deg = new Int32Array(nodes + 1);
  for (let e = 0; e < m; e++) {
    deg[from[e]! + 1]!++;
    deg[to[e]! + 1]!++;
  }
  for (let i = 0; i < nodes; i++) deg[i + 1]! += deg[i]!;
  const adj = new Int32Array(2 * m);
  const fill = deg.slice(0, nodes);
  for (let e = 0; e < m; e++) {
    adj[fill[from[e]!]!++] = e;
    adj[fill[to[e]!]!++] = e;
  }
  const ptr = deg.slice(0, nodes);
  const pos = new Int32Array(nodes).fill(-1);
  const pathNodes: number[] = [];
  const pathEdges: number[] = [];

  /**
   * A fractional edge at u other than `except`, or -1. Among the first few candidates, one
   * leading back onto the current path is preferred: it closes a short cycle at once.
   */
  const findEdge = (u: number, except: number): number => {
    const end = deg[u + 1]!;
    while (ptr[u]! < end && !frac(adj[ptr[u]!]!)) ptr[u]!++;
    let first = -1;
    let seen = 0;
    for (let j = ptr[u]!; j < end && seen < 16; j++) {
      const e = adj[j]!;
      if (e === except || !frac(e)) continue;
      seen++;
      const v = from[e] === u ? to[e]! : from[e]!;
      if (pos[v]! >= 0) return e;
      if (first < 0) first = e;
    }
    if (first >= 0) return first;
    for (let j = ptr[u]!; j < end; j++) {
      const e = adj[j]!;
      if (e !== except && frac(e)) return e;
    }
    return -1;
  };

  const cycle: number[] = [];
  const forward: boolean[] = [];
  for (let root = 0; root < nodes; root++) {
    for (;;) {
      if (pathNodes.length === 0) {
        if (findEdge(root, -1) < 0) break;
        pathNodes.push(root);
        pos[root] = 0;
      }
      const u = pathNodes[pathNodes.length - 1]!;
      const arrived = pathEdges.length > 0 ? pathEdges[pathEdges.length - 1]! : -1;
      const e = findEdge(u, arrived);
      if (e < 0) {
        // Dead end (only by floating-point drift): settle the arrival edge and step back.
        pos[u] = -1;
        pathNodes.pop();
        if (arrived >= 0) {
          val[arrived] = Math.round(val[arrived]!);
          pathEdges.pop();
        }
        continue;
      }
      const v = from[e] === u ? to[e]! : from[e]!;
      if (pos[v]! < 0) {
        pos[v] = pathNodes.length;
        pathNodes.push(v);
        pathEdges.push(e);
        continue;
      }
      // Cycle: path[pos[v]] … u, then e back to v.
      const start = pos[v]!;
      cycle.length = 0;
      forward.length = 0;
      for (let k = start; k < pathEdges.length; k++) {
        cycle.push(pathEdges[k]!);
        forward.push(from[pathEdges[k]!] === pathNodes[k]);
      }
      cycle.push(e);
      forward.push(from[e] === u);
      let up = Infinity; // largest push along the traversal direction
      let down = Infinity; // largest push against it
      for (let k = 0; k < cycle.length; k++) {
        const c = cycle[k]!;
        const x = val[c]!;
        const toCeil = (upper ? upper[c]! : Math.ceil(x)) - x;
        const toFloor = upper ? x : x - Math.floor(x);
        if (forward[k]) {
          up = Math.min(up, toCeil);
          down = Math.min(down, toFloor);
        } else {
          up = Math.min(up, toFloor);
          down = Math.min(down, toCeil);
        }
      }
      const delta = random() < down / (up + down) ? up : -down;
      for (let k = 0; k < cycle.length; k++) {
        const c = cycle[k]!;
        val[c] = val[c]! + (forward[k] ? delta : -delta);
        snap(c);
      }
      // Truncate the path back to v and carry on from there.
      for (let k = start + 1; k < pathNodes.length; k++) pos[pathNodes[k]!] = -1;
      pathNodes.length = start + 1;
      pathEdges.length = start;
    }
    if (pathNodes.length) {
      for (const n of pathNodes) pos[n] = -1;
      pathNodes.length = 0;
      pathEdges.length = 0;
    }
  }
}
