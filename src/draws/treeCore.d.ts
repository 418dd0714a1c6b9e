/** Types for treeCore.js (plain JS so worker threads load it without a TypeScript loader). */
export declare function leavesFromPacked(
  classKey: Uint8Array,
  codeBytes: Uint8Array,
  classBytes: Uint8Array,
  out: Uint32Array,
  from: number,
  to: number,
  saltsOut: Uint32Array | null,
): void;
export declare function leafInto(salt: Uint32Array, o: number, cls: number, S: Int32Array, W: Int32Array): void;
export declare function nextLevel(level: Uint32Array, count: number): Uint32Array;
export declare function nodeInto(values: Uint32Array, first: number, m: number, S: Int32Array, W: Int32Array, msg: Int32Array): void;
