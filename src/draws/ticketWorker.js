// Worker thread for ticket computation (plain JS: no TypeScript loader needed, see ticketCore.js).
// Receives { key, codeBytes (shared), out (shared), from, to }, fills out[8*from .. 8*to), replies "done".
import { parentPort } from "node:worker_threads";
import { ticketsFromPacked } from "./ticketCore.js";

parentPort.on("message", (m) => {
  ticketsFromPacked(m.key, new Uint8Array(m.codeBytes), new Uint32Array(m.out), m.from, m.to);
  parentPort.postMessage("done");
});
