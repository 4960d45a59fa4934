import type { EdmEntitySet } from '../../model/edm';
import { parseExpand } from './expand-parser';
import type { SetResolver } from './expression-parser';
import { parseFilter } from './filter-parser';
import { ODataError } from './odata-error';
import { parseOrderBy } from './orderby-parser';
import type { QueryOptions } from './query-types';
import { decodeSkipToken } from './skip-token';

/** How many `$expand` levels may nest. */
export const MAX_EXPAND_DEPTH = 6;

const TOP_LEVEL = new Set(['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$skiptoken', '$format']);
const NESTED = new Set(['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count']);

/**
 * Parses and validates the system query options of a request against `set`. Parameters not
 * starting with `$` are ignored; `$format=json` is accepted and ignored; any other unknown `$`
 * option, a repeated option or a bad value is a 400 ODataError.
 */
export function parseQueryOptions(params: URLSearchParams, set: EdmEntitySet, resolveSet: SetResolver): QueryOptions {
  const raw = new Map<string, string>();
  for (const [name, value] of params) {
    if (!name.startsWith('$')) continue;
    if (raw.has(name)) throw invalid(`The query option ${name} is given more than once.`, name);
    raw.set(name, value);
  }
  return buildOptions(raw, set, resolveSet, '', 0);
}

function buildOptions(raw: ReadonlyMap<string, string>, set: EdmEntitySet, resolveSet: SetResolver, where: string, level: number): QueryOptions {
  const allowed = level === 0 ? TOP_LEVEL : NESTED;
  for (const name of raw.keys()) {
    if (!allowed.has(name)) {
      const supported = [...allowed].join(', ');
      throw invalid(`The query option ${name}${where} is not supported; supported options are ${supported}.`, name);
    }
  }
  const format = raw.get('$format');
  if (format !== undefined && format !== 'json' && !format.startsWith('application/json')) {
    throw invalid(`$format=${format} is not supported; this service answers JSON only.`, '$format');
  }
  const text = (name: string) => raw.get(name);
  const filter = text('$filter');
  const select = text('$select');
  const expand = text('$expand');
  const orderBy = text('$orderby');
  const skipToken = text('$skiptoken');
  if (expand !== undefined && level >= MAX_EXPAND_DEPTH) throw invalid(`$expand may nest at most ${MAX_EXPAND_DEPTH} levels.`, '$expand');
  return {
    filter: filter === undefined ? undefined : parseFilter(filter, set, resolveSet, `$filter${where}`),
    select: select === undefined ? undefined : parseSelect(select, set, where),
    expand:
      expand === undefined
        ? undefined
        : parseExpand(expand, set, resolveSet, (nested, target, option) => buildOptions(nested, target, resolveSet, ` (in ${option})`, level + 1), `$expand${where}`),
    orderBy: orderBy === undefined ? undefined : parseOrderBy(orderBy, set, resolveSet, `$orderby${where}`),
    top: parseCount('$top', text('$top'), where),
    skip: parseCount('$skip', text('$skip'), where),
    count: parseBoolean(text('$count'), where),
    skipToken: skipToken === undefined ? undefined : decodeSkipToken(skipToken),
  };
}

function parseSelect(text: string, set: EdmEntitySet, where: string): readonly string[] | undefined {
  const names: string[] = [];
  for (const part of text.split(',')) {
    const name = part.trim();
    if (name === '*') return undefined;
    if (name === '') throw invalid(`$select${where} has an empty item: '${text}'.`, '$select');
    if (!Object.hasOwn(set.properties, name)) {
      const hint = Object.hasOwn(set.navigations, name) ? ` '${name}' is a navigation property; use $expand=${name}.` : '';
      throw ODataError.badRequest('UnknownProperty', `Could not find a property named '${name}' on type '${set.name}'.${hint}`, name);
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function parseCount(option: string, text: string | undefined, where: string): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value)) throw invalid(`${option}${where} must be a non-negative integer, got '${text}'.`, option);
  return value;
}

function parseBoolean(text: string | undefined, where: string): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw invalid(`$count${where} must be true or false, got '${text}'.`, '$count');
}

function invalid(message: string, target: string): ODataError {
  return ODataError.badRequest('InvalidQueryOption', message, target);
}
