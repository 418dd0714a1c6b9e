/** An error the CLI reports as one line, with the given exit code (2: bad usage or input). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
