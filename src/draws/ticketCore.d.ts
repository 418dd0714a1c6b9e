/** Types for ticketCore.js (plain JS so worker threads load it without a TypeScript loader). */
export declare const SLOT: number;
export declare const MAX_CODE_BYTES: number;
export declare function ticketsFromPacked(key: Uint8Array, codeBytes: Uint8Array, out: Uint32Array, from: number, to: number): void;
export declare function compress(W: Int32Array, out: Uint32Array, off: number): void;
