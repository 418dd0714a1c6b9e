/**
 * Panel draws (专家和人员抽取, docs/draw-spec.md §15; docs/approvals.md): the experts and the
 * supervising-department staff an approval bureau draws for 现场踏勘, 技术审查, 听证论证 and 验收,
 * on the ssj-draw/2 engine. Pure functions over plain data.
 *
 * Flow: freezePanel → panelDigests (publish the public inputs and the commitment at once) →
 * the seed ceremony of src/draws/v2/ceremony.ts → PanelReplay.makeDraw / makeSubstitution →
 * fullPanelManifest / publicPanelManifest → verifyPanelManifest (anyone, offline: `ssj verify`).
 */
export * from "./types.ts";
export { freezePanel, type PanelRequest } from "./freeze.ts";
export { validatePanelPublic, validatePanelPrivate } from "./validate.ts";
export { PanelReplay, panelKey, personTicket, seatOrder, eligibleFor, drawPanel, publicPanelResults } from "./draw.ts";
export {
  panelDigests,
  fullPanelManifest,
  publicPanelManifest,
  publicPanelRecord,
  verifyPanelFull,
  verifyPanelPublic,
  verifyPanelManifest,
  isPanelManifest,
  PANEL_PUBLIC_PROVES,
  PANEL_NEEDS_FULL,
  PANEL_FULL_PROVES,
  type PanelVerifyOutcome,
  type PanelVerifyOptions,
} from "./manifest.ts";
