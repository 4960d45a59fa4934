import { ODataError } from '../odata/odata-error';

/** What an OData request path addresses below `/sit-svc/Application/{app}/odata/`. */
export type ODataResource =
  | { kind: 'service' }
  | { kind: 'metadata' }
  | { kind: 'collection'; name: string; count: boolean }
  | { kind: 'entity'; name: string; key: string }
  | { kind: 'navigation'; name: string; key: string; navigation: string; count: boolean };

const PREFIX = '/sit-svc/Application/';
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Parses an Opcenter OData path. Keys may be written `Set(<guid>)`, `Set('<text>')`, `Set(Id=...)`
 * or, key-as-segment, `Set/<key>`. Returns undefined for paths outside the OData surface.
 */
export function parseODataPath(pathname: string): { app: string; resource: ODataResource } | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const raw = pathname.slice(PREFIX.length).split('/');
  const [app, odata, ...rest] = raw.map(decodeSegment);
  if (!app || odata !== 'odata') return undefined;
  while (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
  return { app, resource: toResource(rest) };
}

function toResource(segments: string[]): ODataResource {
  const [first, second, third, fourth] = segments;
  if (first === undefined) return { kind: 'service' };
  if (first === '$metadata' && segments.length === 1) return { kind: 'metadata' };
  if (segments.length > 4) throw badPath(`Too many path segments after '${first}'.`);

  const open = first.indexOf('(');
  if (open < 0) {
    if (second === undefined) return { kind: 'collection', name: first, count: false };
    if (second === '$count' && third === undefined) return { kind: 'collection', name: first, count: true };
    return entityOrNavigation(first, second, third, fourth);
  }
  if (!first.endsWith(')')) throw badPath(`Unbalanced parenthesis in '${first}'.`);
  const name = first.slice(0, open);
  const key = parseKeyPredicate(first.slice(open + 1, -1));
  if (fourth !== undefined) throw badPath(`Unexpected segment '${fourth}'.`);
  return entityOrNavigation(name, key, second, third);
}

function entityOrNavigation(name: string, key: string, navigation?: string, count?: string): ODataResource {
  if (navigation === undefined) return { kind: 'entity', name, key };
  if (count !== undefined && count !== '$count') throw badPath(`Unexpected segment '${count}'.`);
  return { kind: 'navigation', name, key, navigation, count: count === '$count' };
}

/** The key value inside `(...)`: a GUID, a quoted string with `''` escapes, a number, or `Name=value`. */
export function parseKeyPredicate(text: string): string {
  const named = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(text);
  const value = named ? (named[2] ?? '') : text;
  if (GUID.test(value)) return value.toLowerCase();
  if (/^-?\d+$/.test(value)) return value;
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
    const inner = value.slice(1, -1);
    if (/(^|[^'])'(?!')/.test(inner.replace(/''/g, ''))) throw badPath(`Unescaped quote in key ${text}.`);
    return inner.replace(/''/g, "'");
  }
  throw badPath(`Invalid key predicate (${text}): use a GUID, a quoted string or a number.`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badPath(`Malformed percent-encoding in path segment '${segment}'.`);
  }
}

function badPath(message: string): ODataError {
  return new ODataError(400, 'BadRequest', message);
}
