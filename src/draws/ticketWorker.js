// Worker thread for bulk hashing (plain JS: no TypeScript loader needed, see ticketCore.js).
// Tickets: receives { key, codeBytes (shared), out (shared), from, to }, fills out[8*from .. 8*to).
// Class-tree leaves (treeCore.js): { job: "leaves", salts, codeBytes, classBytes, leaves, from, to };
// both at once: { job: "both", key, codeBytes, out, salts, classBytes, leaves, from, to }.
// Replies "done".
import { parentPort } from "node:worker_threads";
import { ticketsFromPacked } from "./ticketCore.js";
import { leavesFromSalts } from "./treeCore.js";

parentPort.on("message", (m) => {
  const codes = new Uint8Array(m.codeBytes);
  if (m.job !== "leaves") ticketsFromPacked(m.key, codes, new Uint32Array(m.out), m.from, m.to);
  if (m.job === "leaves" || m.job === "both") leavesFromSalts(new Uint8Array(m.salts), codes, new Uint8Array(m.classBytes), new Uint8Array(m.leaves), m.from, m.to);
  parentPort.postMessage("done");
});
