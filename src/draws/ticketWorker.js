// Worker thread for bulk hashing (plain JS: no TypeScript loader needed, see ticketCore.js).
// Tickets: receives { key, codeBytes (shared), out (shared), from, to }, fills out[8*from .. 8*to).
// Class-tree leaves: { job: "leaves", key, codeBytes, classBytes, out, salts?, from, to } (treeCore.js).
// Replies "done".
import { parentPort } from "node:worker_threads";
import { ticketsFromPacked } from "./ticketCore.js";
import { leavesFromPacked } from "./treeCore.js";

parentPort.on("message", (m) => {
  if (m.job === "leaves")
    leavesFromPacked(m.key, new Uint8Array(m.codeBytes), new Uint8Array(m.classBytes), new Uint32Array(m.out), m.from, m.to, m.salts ? new Uint32Array(m.salts) : null);
  else ticketsFromPacked(m.key, new Uint8Array(m.codeBytes), new Uint32Array(m.out), m.from, m.to);
  parentPort.postMessage("done");
});
