/** Types for treeCore.js (plain JS so worker threads load it without a TypeScript loader). */
export declare function leavesFromSalts(salts: Uint8Array, codeBytes: Uint8Array, classBytes: Uint8Array, out: Uint8Array, from: number, to: number): void;
