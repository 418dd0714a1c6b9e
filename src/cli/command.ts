/** One `ssj` command. `run` receives the arguments after the command name and returns an exit code. */
export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}
