/**
 * Checks a row against its entity set in the EDM: exactly the declared properties, each with a
 * value of its primitive type (null only where nullable).
 */
import { edmTypeOf, isNullable, type EdmEntitySet } from '../model/edm';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** What is wrong with a row for a set; empty when nothing is. */
export function rowProblems(set: EdmEntitySet, row: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(row)) if (!(key in set.properties)) problems.push(`${set.name}.${key} is not a property`);
  for (const [name, property] of Object.entries(set.properties)) {
    if (!(name in row)) {
      problems.push(`${set.name}.${name} is missing`);
      continue;
    }
    const value = row[name];
    if (value === null) {
      if (!isNullable(property)) problems.push(`${set.name}.${name} is null`);
      continue;
    }
    const type = edmTypeOf(property);
    const ok =
      type === 'Edm.Boolean'
        ? typeof value === 'boolean'
        : type === 'Edm.Int32' || type === 'Edm.Int64'
          ? Number.isInteger(value)
          : type === 'Edm.Double'
            ? typeof value === 'number' && Number.isFinite(value)
            : type === 'Edm.Guid'
              ? typeof value === 'string' && GUID.test(value)
              : type === 'Edm.DateTimeOffset'
                ? typeof value === 'string' && ISO.test(value)
                : typeof value === 'string';
    if (!ok) problems.push(`${set.name}.${name} = ${JSON.stringify(value)} is not ${type}`);
  }
  return problems;
}
