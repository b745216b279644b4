/** One troubleshooting check's outcome: what was checked, whether it passed, and what to do if not. */
export interface CheckResult {
  name: string;
  passed: boolean;
  detail: string;
  fix: string;
}

export function pass(name: string, detail: string): CheckResult {
  return { name, passed: true, detail, fix: '' };
}

export function fail(name: string, detail: string, fix: string): CheckResult {
  return { name, passed: false, detail, fix };
}

/** Runs `work` with a deadline; a check never hangs the doctor. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
