/**
 * Errors raised inside a trigger's body. SQL Server runs triggers with XACT_ABORT ON, so such an
 * error rolls back the whole transaction and ends the batch (the executor checks this mark).
 */
const marked = new WeakSet<object>();

export function markRaisedInTrigger(error: unknown): void {
  if (typeof error === 'object' && error !== null) marked.add(error);
}

export function raisedInTrigger(error: unknown): boolean {
  return typeof error === 'object' && error !== null && marked.has(error);
}
