/** Small HTTP helpers for the CLI's checks: bounded in time, never throwing on an HTTP status. */

export interface HttpAnswer {
  status: number;
  body: string;
  headers: Headers;
}

export async function httpRequest(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 5000) });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** GET a JSON document; undefined plus the reason when the site does not answer or answers no JSON. */
export async function getJson<T>(url: string, timeoutMs = 3000): Promise<{ status?: number; value?: T; problem?: string }> {
  try {
    const answer = await httpRequest(url, { timeoutMs });
    try {
      return { status: answer.status, value: JSON.parse(answer.body) as T };
    } catch {
      return { status: answer.status, problem: `answered ${answer.status} without JSON` };
    }
  } catch (error) {
    return { problem: describeFetchError(error) };
  }
}

export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (not running?)';
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return (error as Error).message ?? String(error);
}
