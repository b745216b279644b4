/**
 * The stand-in's own locks, as SQL Server's lock manager grants them at table granularity.
 * Resources are the database (IX for a transaction that keeps before-images, X for DDL inside a
 * transaction, which holds SQLite's write transaction) and tables (S for what a statement's
 * constraint checks read, X for what it writes). Requests queue first come, first served; a
 * waiter costs a pending promise, never a blocked event loop. A wait ends with 1222 after the
 * session's LOCK_TIMEOUT (-1 waits for ever, 0 not at all), at once when the client cancels or
 * goes away (the AbortSignal), and with 1205 when waiting would close a cycle in the wait-for
 * graph: the victim is the member with the lowest SET DEADLOCK_PRIORITY, the request that closed
 * the cycle among equals (SQL Server weighs the cost of the rollback instead), and its session
 * rolls its transaction back.
 */
import { sqlErrors, SqlError } from '../tsql/sql-error';

export type LockMode = 'S' | 'IX' | 'X';

export interface LockOwner {
  /** The session id, for 1205's text and sys.dm_tran_locks. */
  readonly spid: number;
  /** SET DEADLOCK_PRIORITY (0 when absent): the lowest in a cycle is the victim. */
  readonly deadlockPriority?: number;
}

export interface LockResource {
  /** 'database' or 'table:<lower-case name>'. */
  key: string;
  type: 'DATABASE' | 'OBJECT';
  objectId: number;
}

interface Hold {
  mode: LockMode;
  /** Kept until the transaction ends (else released at the end of the statement). */
  transaction: boolean;
}

interface Waiter {
  owner: LockOwner;
  mode: LockMode;
  transaction: boolean;
  grant: () => void;
  fail: (error: Error) => void;
}

interface ResourceState {
  resource: LockResource;
  holders: Map<LockOwner, Hold>;
  queue: Waiter[];
}

export interface LockRow {
  resource: LockResource;
  mode: LockMode;
  status: 'GRANT' | 'WAIT';
  spid: number;
}

const STRENGTH: Record<LockMode, number> = { IX: 1, S: 1, X: 2 };

function compatible(a: LockMode, b: LockMode): boolean {
  return a === b && a !== 'X';
}

/** The mode that covers both (S with IX is SQL Server's SIX; treated as X here). */
function combine(held: LockMode, wanted: LockMode): LockMode {
  if (held === wanted) return held;
  return STRENGTH[held] > STRENGTH[wanted] ? held : 'X';
}

export function deadlockVictim(spid: number): SqlError {
  return new SqlError(1205, `Transaction (Process ID ${spid}) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.`, 13, 51);
}

/**
 * SQL Server's choice: the lowest DEADLOCK_PRIORITY; among equals the cheapest to roll back, which
 * the stand-in does not weigh: then the request that closed the cycle.
 */
function chooseVictim(requester: LockOwner, cycle: LockOwner[]): LockOwner {
  const priority = (owner: LockOwner) => owner.deadlockPriority ?? 0;
  const lowest = Math.min(...cycle.map(priority));
  return priority(requester) === lowest ? requester : cycle.find((owner) => priority(owner) === lowest)!;
}

export class LockManager {
  private readonly resources = new Map<string, ResourceState>();
  /** What each waiting owner waits for (one request at a time per session). */
  private readonly waits = new Map<LockOwner, { state: ResourceState; waiter: Waiter }>();

  get waiting(): number {
    return this.waits.size;
  }

  holds(owner: LockOwner, key: string): LockMode | undefined {
    return this.resources.get(key)?.holders.get(owner)?.mode;
  }

  /**
   * Grants `mode` on `resource` to `owner` now, or queues. timeoutMs < 0 waits without limit,
   * 0 fails at once with 1222; `signal` ends the wait with its reason.
   */
  acquire(owner: LockOwner, resource: LockResource, mode: LockMode, transaction: boolean, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const state = this.state(resource);
    const held = state.holders.get(owner);
    const wanted = held ? combine(held.mode, mode) : mode;
    if (held && held.mode === wanted) {
      held.transaction ||= transaction;
      return Promise.resolve();
    }
    // A conversion (S → X) goes ahead of the queue, as in SQL Server; a new request waits its turn.
    if (this.grantable(state, owner, wanted, !!held)) {
      state.holders.set(owner, { mode: wanted, transaction: transaction || !!held?.transaction });
      return Promise.resolve();
    }
    if (timeoutMs === 0) return Promise.reject(sqlErrors.lockTimeout());
    if (signal?.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('The lock wait was cancelled.'));
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = state.queue.indexOf(waiter);
        if (index >= 0) state.queue.splice(index, 1);
        this.waits.delete(owner);
      };
      const waiter: Waiter = {
        owner, mode: wanted, transaction: transaction || !!held?.transaction,
        grant: () => { cleanup(); resolve(); },
        fail: (error) => {
          cleanup();
          reject(error);
          // Whoever queued behind this request may go now.
          this.grantWaiters(state);
        },
      };
      const onAbort = () => waiter.fail(signal?.reason instanceof Error ? signal.reason : new Error('The lock wait was cancelled.'));
      if (held) state.queue.unshift(waiter);
      else state.queue.push(waiter);
      this.waits.set(owner, { state, waiter });
      const cycle = this.cycleThrough(owner);
      if (cycle) {
        const victim = chooseVictim(owner, cycle);
        this.waits.get(victim)?.waiter.fail(deadlockVictim(victim.spid));
        if (victim === owner) return;
      }
      if (timeoutMs > 0) timer = setTimeout(() => waiter.fail(sqlErrors.lockTimeout()), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Releases the locks taken for the statement only (transaction locks stay). */
  releaseStatementLocks(owner: LockOwner): void {
    for (const state of [...this.resources.values()]) {
      const hold = state.holders.get(owner);
      if (hold && !hold.transaction) this.releaseIn(state, owner);
    }
  }

  /** The transaction ended (or the session did): every lock of the owner goes. */
  releaseAll(owner: LockOwner): void {
    for (const state of [...this.resources.values()]) if (state.holders.has(owner)) this.releaseIn(state, owner);
  }

  /** sys.dm_tran_locks: granted locks, then waiting requests. */
  rows(): LockRow[] {
    const rows: LockRow[] = [];
    for (const state of this.resources.values()) {
      for (const [owner, hold] of state.holders) rows.push({ resource: state.resource, mode: hold.mode, status: 'GRANT', spid: owner.spid });
      for (const waiter of state.queue) rows.push({ resource: state.resource, mode: waiter.mode, status: 'WAIT', spid: waiter.owner.spid });
    }
    return rows;
  }

  private state(resource: LockResource): ResourceState {
    let state = this.resources.get(resource.key);
    if (!state) {
      state = { resource, holders: new Map(), queue: [] };
      this.resources.set(resource.key, state);
    }
    return state;
  }

  private grantable(state: ResourceState, owner: LockOwner, mode: LockMode, conversion: boolean): boolean {
    for (const [holder, hold] of state.holders) if (holder !== owner && !compatible(hold.mode, mode)) return false;
    return conversion || state.queue.length === 0;
  }

  private releaseIn(state: ResourceState, owner: LockOwner): void {
    if (!state.holders.delete(owner)) return;
    this.grantWaiters(state);
  }

  /** Grants queued requests in order while they fit with the holders. */
  private grantWaiters(state: ResourceState): void {
    while (state.queue.length > 0) {
      const next = state.queue[0];
      // First in the queue: only the holders matter.
      if (!this.grantable(state, next.owner, next.mode, true)) break;
      state.holders.set(next.owner, { mode: next.mode, transaction: next.transaction });
      next.grant();
    }
    if (state.holders.size === 0 && state.queue.length === 0) this.resources.delete(state.resource.key);
  }

  /** Owners `owner`'s current wait is behind: incompatible holders and incompatible requests queued ahead. */
  private blockers(owner: LockOwner): LockOwner[] {
    const wait = this.waits.get(owner);
    if (!wait) return [];
    const { state, waiter } = wait;
    const found: LockOwner[] = [];
    for (const [holder, hold] of state.holders) if (holder !== owner && !compatible(hold.mode, waiter.mode)) found.push(holder);
    for (const ahead of state.queue) {
      if (ahead === waiter) break;
      if (ahead.owner !== owner && !compatible(ahead.mode, waiter.mode)) found.push(ahead.owner);
    }
    return found;
  }

  /** The owners of a wait-for cycle through `start` (start first), if its new wait closed one. */
  private cycleThrough(start: LockOwner): LockOwner[] | undefined {
    const seen = new Set<LockOwner>();
    const visit = (owner: LockOwner, path: LockOwner[]): LockOwner[] | undefined => {
      for (const next of this.blockers(owner)) {
        if (next === start) return path;
        if (seen.has(next)) continue;
        seen.add(next);
        const found = visit(next, [...path, next]);
        if (found) return found;
      }
      return undefined;
    };
    return visit(start, [start]);
  }
}
