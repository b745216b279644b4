/**
 * The stand-in's lock manager on its own: S shares, X excludes, the same owner re-enters and
 * converts ahead of the queue, waiters are granted first come first served, LOCK_TIMEOUT 0 fails
 * at once with 1222, an aborted signal ends a wait, and a cycle of three waits ends with 1205 for
 * the request that closes it while the others stay queued — unless another member has a lower
 * DEADLOCK_PRIORITY.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LockManager, LockResource } from '../../../src/emulators/sqlserver/engine/lock-manager';

const table = (name: string): LockResource => ({ key: `table:${name}`, type: 'OBJECT', objectId: name.length });
const owner = (spid: number) => ({ spid });

describe('the stand-in lock manager', () => {
  it('shares S, excludes X, re-enters, and grants waiters in order', async () => {
    const locks = new LockManager();
    const [a, b, c] = [owner(51), owner(52), owner(53)];
    await locks.acquire(a, table('t'), 'S', false, -1);
    await locks.acquire(b, table('t'), 'S', false, -1);
    const order: string[] = [];
    const cWaits = locks.acquire(c, table('t'), 'X', true, -1).then(() => order.push('c'));
    // A later S request queues behind the waiting X, though it fits the holders.
    const dWaits = locks.acquire(owner(54), table('t'), 'S', false, -1).then(() => order.push('d'));
    assert.equal(locks.waiting, 2);
    await locks.acquire(a, table('t'), 'S', true, -1);
    locks.releaseStatementLocks(b);
    locks.releaseAll(a);
    await cWaits;
    assert.equal(locks.holds(c, 'table:t'), 'X');
    locks.releaseAll(c);
    await dWaits;
    assert.deepEqual(order, ['c', 'd']);
  });

  it('fails at once with LOCK_TIMEOUT 0 and ends a wait when its signal aborts', async () => {
    const locks = new LockManager();
    await locks.acquire(owner(51), table('t'), 'X', true, -1);
    await assert.rejects(locks.acquire(owner(52), table('t'), 'S', false, 0), (error: { number: number }) => error.number === 1222);
    const controller = new AbortController();
    const wait = locks.acquire(owner(53), table('t'), 'X', false, -1, controller.signal);
    assert.equal(locks.waiting, 1);
    controller.abort(new Error('ATTENTION'));
    await assert.rejects(wait, /ATTENTION/);
    assert.equal(locks.waiting, 0);
  });

  it('ends a three-way cycle with 1205 for the request that closes it', async () => {
    const locks = new LockManager();
    const [a, b, c] = [owner(51), owner(52), owner(53)];
    for (const [who, name] of [[a, 'x'], [b, 'y'], [c, 'z']] as const) await locks.acquire(who, table(name), 'X', true, -1);
    const aWaits = locks.acquire(a, table('y'), 'X', true, -1);
    const bWaits = locks.acquire(b, table('z'), 'X', true, -1);
    await assert.rejects(locks.acquire(c, table('x'), 'S', false, -1), (error: { number: number; message: string }) => {
      assert.equal(error.number, 1205);
      assert.match(error.message, /^Transaction \(Process ID 53\) was deadlocked/);
      return true;
    });
    assert.equal(locks.waiting, 2);
    locks.releaseAll(c);
    await bWaits;
    locks.releaseAll(b);
    await aWaits;
    assert.equal(locks.holds(a, 'table:y'), 'X');
  });

  it('makes the session with the lowest DEADLOCK_PRIORITY the victim, though another closed the cycle', async () => {
    const locks = new LockManager();
    const [low, normal] = [{ spid: 51, deadlockPriority: -5 }, owner(52)];
    await locks.acquire(low, table('x'), 'X', true, -1);
    await locks.acquire(normal, table('y'), 'X', true, -1);
    const lowWaits = locks.acquire(low, table('y'), 'X', true, -1);
    const normalWaits = locks.acquire(normal, table('x'), 'X', true, -1);
    await assert.rejects(lowWaits, (error: { number: number; message: string }) => error.number === 1205 && /Process ID 51/.test(error.message));
    locks.releaseAll(low);
    await normalWaits;
    assert.equal(locks.holds(normal, 'table:x'), 'X');
  });
});
