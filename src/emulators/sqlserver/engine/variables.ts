/**
 * T-SQL variables: one frame per batch, procedure call or dynamic SQL, each seeing only its own
 * variables (names are case-insensitive, as under SQL Server's default collation).
 */
import type { VariableSlot } from '../tsql/translate/context';
import type { SqlType, StoredValue } from '../sql-type';
import { sqlErrors } from '../tsql/sql-error';

export class VariableFrames {
  private readonly frames: Array<Map<string, VariableSlot>> = [new Map()];
  private readonly owners = new WeakMap<VariableSlot, object>();
  /** Called for each table variable whose frame ends (its table is dropped). */
  onReleaseTable: (slot: VariableSlot) => void = () => undefined;

  get(name: string): VariableSlot | undefined {
    return this.frames[this.frames.length - 1].get(name.toLowerCase());
  }

  /**
   * Declares a variable. A DECLARE is a compile-time statement in SQL Server: running the same
   * DECLARE again (inside a loop) keeps the variable; another DECLARE of the name is error 134.
   */
  declare(name: string, type: SqlType, value: StoredValue = null, declaredBy?: object): { slot: VariableSlot; again: boolean } {
    const frame = this.frames[this.frames.length - 1];
    const existing = frame.get(name.toLowerCase());
    if (existing) {
      if (declaredBy && this.owners.get(existing) === declaredBy) return { slot: existing, again: true };
      throw sqlErrors.variableAlreadyDeclared(name);
    }
    const slot = { type, value };
    frame.set(name.toLowerCase(), slot);
    if (declaredBy) this.owners.set(slot, declaredBy);
    return { slot, again: false };
  }

  push(): void {
    this.frames.push(new Map());
  }

  pop(): void {
    if (this.frames.length > 1) this.release(this.frames.pop()!);
  }

  clear(): void {
    for (const frame of this.frames.splice(0, this.frames.length, new Map())) this.release(frame);
  }

  private release(frame: Map<string, VariableSlot>): void {
    for (const slot of frame.values()) if (slot.table) this.onReleaseTable(slot);
  }
}

