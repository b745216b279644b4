/**
 * A small collector of validation problems, each naming the field it is about
 * ("connectors[0].port must be an integer between 1 and 65535"). Values are never echoed,
 * so a secret in the wrong field cannot leak into a message.
 */

export class ValidationError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is invalid: ${problems.join('; ')}.`);
    this.name = 'ValidationError';
  }
}

interface StringRules {
  defaultValue?: string;
  pattern?: RegExp;
  secret?: boolean;
}

export class FieldErrors {
  readonly problems: string[] = [];

  add(field: string, problem: string): void {
    this.problems.push(`${field} ${problem}`);
  }

  throwIfAny(source: string): void {
    if (this.problems.length > 0) throw new ValidationError(source, this.problems);
  }

  isObject(value: unknown, field: string): boolean {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.add(field, 'must be an object');
    return false;
  }

  noUnknownFields(value: Record<string, unknown>, where: string, allowed: string[]): void {
    for (const name of Object.keys(value)) {
      if (!allowed.includes(name)) this.add(`${where}.${name}`, 'is not a known field');
    }
  }

  string(value: unknown, field: string, rules: StringRules = {}): string {
    if (value === undefined && rules.defaultValue !== undefined) return rules.defaultValue;
    if (typeof value !== 'string') {
      this.add(field, 'must be a string');
      return '';
    }
    if (rules.pattern && !rules.pattern.test(value)) this.add(field, 'has characters or a length that are not allowed');
    return value;
  }

  optionalString(value: unknown, field: string, pattern?: RegExp): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    return this.string(value, field, { pattern });
  }

  boolean(value: unknown, field: string, defaultValue: boolean): boolean {
    if (value === undefined) return defaultValue;
    if (typeof value !== 'boolean') {
      this.add(field, 'must be true or false');
      return defaultValue;
    }
    return value;
  }

  integer(value: unknown, field: string, min: number, max: number, defaultValue?: number): number {
    if (value === undefined && defaultValue !== undefined) return defaultValue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(field, `must be an integer between ${min} and ${max}`);
      return defaultValue ?? min;
    }
    return value;
  }

  optionalInteger(value: unknown, field: string, min: number, max: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    return this.integer(value, field, min, max);
  }

  stringList(value: unknown, field: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
      this.add(field, 'must be a list of non-empty names');
      return [];
    }
    return value as string[];
  }
}

/** JSON with object keys sorted, so two equal values compare equal whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
