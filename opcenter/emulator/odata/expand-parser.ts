import type { EdmEntitySet } from '../../model/edm';
import type { SetResolver } from './expression-parser';
import { ODataError } from './odata-error';
import { splitTopLevel } from './option-splitter';
import type { ExpandItem, QueryOptions } from './query-types';

/** Parses the nested options of one expanded navigation against its target set. */
export type NestedOptionsParser = (raw: ReadonlyMap<string, string>, target: EdmEntitySet, option: string) => QueryOptions;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `$expand`: comma-separated navigation names, each optionally followed by nested options
 * in parentheses separated by `;` (`Operations($select=NId;$top=3),WorkOrder($expand=Line)`).
 * `option` names where this `$expand` stands, for messages.
 */
export function parseExpand(
  text: string,
  set: EdmEntitySet,
  resolveSet: SetResolver,
  parseNested: NestedOptionsParser,
  option = '$expand',
): ExpandItem[] {
  const items: ExpandItem[] = [];
  for (const part of splitTopLevel(text, ',', option)) {
    const item = part.text.trim();
    const open = item.indexOf('(');
    const name = (open < 0 ? item : item.slice(0, open)).trim();
    if (name === '*') throw ODataError.badRequest('InvalidQueryOption', `${option}=* is not supported; name the navigation properties to expand.`);
    if (name.includes('/')) {
      throw ODataError.badRequest('InvalidQueryOption', `${option} path '${name}' is not supported; nest instead, e.g. A($expand=B).`);
    }
    if (!NAME.test(name)) throw ODataError.badRequest('InvalidQueryOption', `Syntax error at position ${part.pos} in ${option}: expected a navigation property name.`);
    if (open >= 0 && !item.endsWith(')')) {
      throw ODataError.badRequest('InvalidQueryOption', `Syntax error in ${option}: unexpected text after the options of '${name}'.`);
    }
    const navigation = Object.hasOwn(set.navigations, name) ? set.navigations[name] : undefined;
    if (!navigation) {
      const message = `Could not find a navigation property named '${name}' on type '${set.name}'.`;
      throw ODataError.badRequest('UnknownProperty', message, name);
    }
    const target = resolveSet(navigation.target);
    if (!target) throw ODataError.badRequest('UnknownProperty', `Navigation property '${name}' leads to '${navigation.target}', which this service does not serve.`);
    if (items.some((existing) => existing.navigation === name)) {
      throw ODataError.badRequest('InvalidQueryOption', `${option} names '${name}' more than once.`);
    }
    const nestedOption = `${option}=${name}`;
    const raw = open < 0 ? new Map<string, string>() : nestedOptions(item.slice(open + 1, -1), nestedOption);
    const collectionOnly = ['$orderby', '$top', '$skip', '$count'].find((key) => raw.has(key));
    if (!navigation.collection && collectionOnly) {
      throw ODataError.badRequest('InvalidQueryOption', `${collectionOnly} in ${nestedOption} needs a collection; '${name}' is single-valued.`);
    }
    items.push({ navigation: name, target, options: parseNested(raw, target, nestedOption) });
  }
  return items;
}

function nestedOptions(text: string, option: string): Map<string, string> {
  const raw = new Map<string, string>();
  if (text.trim() === '') return raw;
  for (const part of splitTopLevel(text, ';', option)) {
    const equals = part.text.indexOf('=');
    const name = (equals < 0 ? part.text : part.text.slice(0, equals)).trim();
    if (equals < 0 || !name.startsWith('$')) {
      throw ODataError.badRequest('InvalidQueryOption', `Syntax error in ${option}: expected '$option=value', got '${part.text.trim()}'.`);
    }
    if (raw.has(name)) throw ODataError.badRequest('InvalidQueryOption', `${name} is given more than once in ${option}.`);
    raw.set(name, part.text.slice(equals + 1));
  }
  return raw;
}
