/**
 * The 2015 allow-lists: "Tables" (empty = every table, as in 2015) and "Stored Procedures"
 * (empty = none). A name is "Orders" or "dbo.Orders", matched case-insensitively; an unqualified
 * name that exists in several schemas prefers dbo, else it is ambiguous and not found.
 */
import { splitObjectName } from './identifiers';

interface Named {
  schema: string;
  name: string;
}

function matches(object: Named, wanted: { schema?: string; name: string }): boolean {
  if (object.name.toLowerCase() !== wanted.name.toLowerCase()) return false;
  return wanted.schema === undefined || object.schema.toLowerCase() === wanted.schema.toLowerCase();
}

/** The objects a list of allowed names admits; an empty list admits all when `emptyMeansAll`. */
export function allowedObjects<T extends Named>(objects: T[], allowed: string[], emptyMeansAll: boolean): T[] {
  if (allowed.length === 0) return emptyMeansAll ? objects : [];
  const wanted = allowed.map((entry) => splitObjectName(entry.trim())).filter((w) => w !== undefined);
  return objects.filter((object) => wanted.some((w) => matches(object, w)));
}

/** Finds one object by a caller's name among the allowed ones; undefined when absent or ambiguous. */
export function resolveObject<T extends Named>(objects: T[], requested: string): T | undefined {
  const wanted = splitObjectName(requested);
  if (!wanted) return undefined;
  const candidates = objects.filter((object) => matches(object, wanted));
  if (candidates.length <= 1) return candidates[0];
  const exact = candidates.filter((c) => c.name === wanted.name && (wanted.schema === undefined || c.schema === wanted.schema));
  if (exact.length === 1) return exact[0];
  const inDbo = candidates.filter((c) => c.schema.toLowerCase() === 'dbo');
  return inDbo.length === 1 ? inDbo[0] : undefined;
}
