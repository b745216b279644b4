/**
 * Progress while a command starts things: an animated spinner on a terminal, plain lines
 * elsewhere (logs, CI, a parent process reading the output).
 */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Progress {
  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  async step<T>(label: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const animated = this.stream.isTTY === true;
    let frame = 0;
    const timer = animated ? setInterval(() => this.stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`), 80) : undefined;
    if (!animated) this.stream.write(`… ${label}\n`);
    try {
      const result = await work();
      this.finish(animated, `✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return result;
    } catch (error) {
      this.finish(animated, `✖ ${label}: ${(error as Error).message}`);
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  /** A detail line under the current step (not animated). */
  note(line: string): void {
    this.stream.write(`${this.stream.isTTY ? '\r\x1b[2K' : ''}  ${line}\n`);
  }

  private finish(animated: boolean, line: string): void {
    this.stream.write(animated ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }
}

/** Polls `check` until it returns a value or `timeoutMs` passes; the error names what was awaited. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${lastProblem ? ` (${lastProblem})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
