/**
 * SQLite lets one connection write at a time. Sessions therefore queue for one write lock here,
 * in JavaScript, instead of letting SQLite's busy handler spin: a waiting writer costs a pending
 * promise, never a blocked event loop. A writer holds the lock for one statement (autocommit) or
 * until its transaction ends. Waits give up after the session's LOCK_TIMEOUT with error 1222,
 * or when the client cancels (ATTENTION) or disconnects.
 */
import { sqlErrors } from '../tsql/sql-error';

interface Waiter {
  owner: object;
  grant: () => void;
  fail: (error: Error) => void;
}

export class WriteLock {
  private holder: object | undefined;
  private readonly queue: Waiter[] = [];

  get heldBy(): object | undefined {
    return this.holder;
  }

  get waiting(): number {
    return this.queue.length;
  }

  holds(owner: object): boolean {
    return this.holder === owner;
  }

  /**
   * Takes the lock for `owner`. timeoutMs < 0 waits without limit (SQL Server's default
   * LOCK_TIMEOUT of -1); 0 fails at once when the lock is taken. `signal` cancels the wait.
   */
  acquire(owner: object, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.holder === owner) return Promise.resolve();
    if (this.holder === undefined && this.queue.length === 0) {
      this.holder = owner;
      return Promise.resolve();
    }
    if (timeoutMs === 0) return Promise.reject(sqlErrors.lockTimeout());
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
      };
      const waiter: Waiter = {
        owner,
        grant: () => { cleanup(); resolve(); },
        fail: (error) => { cleanup(); reject(error); },
      };
      const onAbort = () => waiter.fail(signal?.reason instanceof Error ? signal.reason : new Error('The wait for the write lock was cancelled.'));
      if (timeoutMs > 0) timer = setTimeout(() => waiter.fail(sqlErrors.lockTimeout()), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  release(owner: object): void {
    if (this.holder !== owner) return;
    this.holder = undefined;
    const next = this.queue[0];
    if (next) {
      this.holder = next.owner;
      next.grant();
    }
  }
}
