import type { Command } from "../command.ts";

/** Every `ssj` command, in the order `ssj help` lists them. Add one import and one entry per command. */
export const commands: Command[] = [];
