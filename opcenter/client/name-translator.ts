import { OpcenterInvalidQueryError } from './errors';
import type { ConceptMapping, OpcenterMapping } from './mapping';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A logical property path translated to Opcenter names. */
export interface OpcenterPath {
  /** Opcenter names, segments joined with `/`. */
  readonly path: string;
  /** What the last segment is: a mapped field, a mapped navigation, or a name the mapping does not know. */
  readonly kind: 'field' | 'navigation' | 'unknown';
  /** Whether the last segment is an Edm.Guid field (its values travel as GUID literals). */
  readonly guid: boolean;
  /** For a navigation: its target concept, when the mapping knows it. */
  readonly target?: ConceptMapping;
}

/**
 * Translates a logical path (`serialNumber`, `workOrder/plannedStartTime`) segment by segment:
 * fields and navigations of the concept are renamed, names the mapping does not know pass unchanged
 * (a plant's extra properties) as long as they are plain identifiers, since they are sent unquoted.
 */
export function toOpcenterPath(
  mapping: OpcenterMapping,
  concept: ConceptMapping | undefined,
  logicalPath: string,
): OpcenterPath {
  const segments = logicalPath.split('/');
  const names: string[] = [];
  let current = concept;
  let kind: OpcenterPath['kind'] = 'unknown';
  let guid = false;
  let target: ConceptMapping | undefined;
  for (const segment of segments) {
    if (!IDENTIFIER.test(segment)) {
      throw new OpcenterInvalidQueryError(`'${logicalPath}' is not a property path`);
    }
    const field = current?.fields.get(segment);
    const nav = current?.navigations.get(segment);
    guid = current?.guidFields.has(segment) ?? false;
    if (field !== undefined) {
      names.push(field);
      kind = 'field';
      current = undefined;
    } else if (nav !== undefined) {
      names.push(nav.property);
      kind = 'navigation';
      current = nav.concept === undefined ? undefined : mapping.concepts.get(nav.concept);
    } else {
      names.push(segment);
      kind = 'unknown';
      current = undefined;
    }
    target = current;
  }
  return { path: names.join('/'), kind, guid, target };
}

/** The concept of a name, or OpcenterInvalidQueryError naming the known ones. */
export function conceptOf(mapping: OpcenterMapping, name: string): ConceptMapping {
  const concept = mapping.concepts.get(name);
  if (concept === undefined) {
    throw new OpcenterInvalidQueryError(
      `Unknown Opcenter concept '${name}'; the mapping has ${[...mapping.concepts.keys()].join(', ')}`,
    );
  }
  return concept;
}
