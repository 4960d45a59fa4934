import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMANDS, findCommand } from '../../model/commands';
import type { EdmEntitySet } from '../../model/edm';
import { ENTITY_SETS, findEntitySet } from '../../model/entity-sets';
import { CommandError } from '../commands/command-error';
import { COMMAND_HANDLERS } from '../commands/command-handlers';
import { validateCommandBody } from '../commands/validate-command';
import {
  buildMetadataXml,
  type CollectionResult,
  executeCollection,
  executeEntity,
  executeNavigation,
  ODataError,
  parseQueryOptions,
} from '../odata';
import type { EntityStore, Row } from '../store/entity-store';
import { parseODataPath, type ODataResource } from './odata-path';
import { parseJson, readBody, sendJson, sendText } from './http-io';

/** What the OData surface needs from the emulator. */
export interface ODataHandlerContext {
  store: EntityStore;
  maxPageSize: number;
  /** Largest accepted command body in bytes. */
  maxBodyBytes: number;
  checkPassword: (username: string, password: string) => boolean;
  /** Called after a command changed the store, e.g. to log it. */
  onCommand?: (name: string, user: string, result: Record<string, unknown>) => void;
}

const APPS: readonly string[] = [...new Set(ENTITY_SETS.map((set): string => set.app))];
const metadataCache = new Map<string, string>();

/** Serves `/sit-svc/Application/{app}/odata/...` for an authenticated user. */
export async function handleODataRequest(
  ctx: ODataHandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  user: string,
): Promise<void> {
  const parsed = parseODataPath(url.pathname);
  if (!parsed) throw new ODataError(404, 'NotFound', `No OData resource at ${url.pathname}.`);
  const { app, resource } = parsed;
  if (!APPS.includes(app)) {
    throw new ODataError(404, 'NotFound', `No application '${app}'. Applications: ${APPS.join(', ')}.`);
  }
  const base = `http://${req.headers.host ?? 'localhost'}/sit-svc/Application/${app}/odata`;

  if (req.method === 'POST') {
    if (resource.kind !== 'collection' || resource.count) {
      throw new ODataError(405, 'MethodNotAllowed', 'POST is accepted only for commands: POST .../odata/{Command}.');
    }
    return runCommand(ctx, req, res, app, resource.name, user, base);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new ODataError(405, 'MethodNotAllowed', `${req.method ?? ''} is not supported; read with GET, act with commands.`);
  }
  return read(ctx, req, res, url, app, resource, base);
}

function read(
  ctx: ODataHandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  app: string,
  resource: ODataResource,
  base: string,
): void {
  switch (resource.kind) {
    case 'service':
      return sendJson(res, 200, {
        '@odata.context': `${base}/$metadata`,
        value: setsOf(app).map((set) => ({ name: set.name, kind: 'EntitySet', url: set.name })),
      });
    case 'metadata': {
      let xml = metadataCache.get(app);
      if (!xml) {
        xml = buildMetadataXml(app, ENTITY_SETS, COMMANDS);
        metadataCache.set(app, xml);
      }
      return sendText(res, 200, xml, 'application/xml');
    }
    case 'collection': {
      const set = requireSet(app, resource.name);
      const parsed = parseQueryOptions(url.searchParams, set, findEntitySet);
      const options = resource.count ? { ...parsed, count: true } : parsed;
      const result = executeCollection(ctx.store, set, options, { maxPageSize: pageSize(ctx, req) });
      if (resource.count) return sendText(res, 200, String(result.count ?? 0), 'text/plain');
      return sendCollection(res, url, `${base}/$metadata#${set.name}`, result);
    }
    case 'entity': {
      const set = requireSet(app, resource.name);
      const row = requireRow(ctx, set, resource.key);
      const options = parseQueryOptions(url.searchParams, set, findEntitySet);
      return sendJson(res, 200, {
        '@odata.context': `${base}/$metadata#${set.name}/$entity`,
        ...executeEntity(ctx.store, set, row, options),
      });
    }
    case 'navigation': {
      const set = requireSet(app, resource.name);
      const row = requireRow(ctx, set, resource.key);
      const navigation = set.navigations[resource.navigation];
      if (!navigation) {
        throw new ODataError(
          404,
          'NotFound',
          `${set.name} has no navigation property '${resource.navigation}'. It has: ${Object.keys(set.navigations).join(', ') || 'none'}.`,
        );
      }
      const target = findEntitySet(navigation.target) as EdmEntitySet;
      const parsed = parseQueryOptions(url.searchParams, target, findEntitySet);
      const options = resource.count ? { ...parsed, count: true } : parsed;
      const result = executeNavigation(ctx.store, set, row, resource.navigation, options, {
        maxPageSize: pageSize(ctx, req),
      });
      const context = `${base}/$metadata#${target.name}`;
      if (!navigation.collection) {
        if (!result) throw new ODataError(404, 'NotFound', `${set.name}(${resource.key})/${resource.navigation} is empty.`);
        return sendJson(res, 200, { '@odata.context': `${context}/$entity`, ...(result as Row) });
      }
      const collection = result as CollectionResult;
      if (resource.count) return sendText(res, 200, String(collection.count ?? 0), 'text/plain');
      return sendCollection(res, url, context, collection);
    }
  }
}

function sendCollection(
  res: ServerResponse,
  url: URL,
  context: string,
  result: CollectionResult,
): void {
  const body: Record<string, unknown> = { '@odata.context': context };
  if (result.count !== undefined) body['@odata.count'] = result.count;
  body.value = result.value;
  if (result.nextSkipToken !== undefined) body['@odata.nextLink'] = nextLink(url, result.nextSkipToken);
  sendJson(res, 200, body);
}

/** The request URL with `$skiptoken` in place of `$skip`/`$top`, its other options kept as the client wrote them. */
function nextLink(url: URL, skipToken: string): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((part) => {
      const name = safeDecode(part.split('=')[0] ?? '');
      return part !== '' && name !== '$skip' && name !== '$top' && name !== '$skiptoken';
    });
  kept.push(`$skiptoken=${encodeURIComponent(skipToken)}`);
  return `${url.origin}${url.pathname}?${kept.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function runCommand(
  ctx: ODataHandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  app: string,
  name: string,
  user: string,
  base: string,
): Promise<void> {
  const definition = findCommand(app, name);
  if (!definition) {
    if (findEntitySet(name)?.app === app) {
      throw new ODataError(405, 'MethodNotAllowed', `${name} is read-only over OData; change it with a command.`);
    }
    const here = COMMANDS.filter((c) => c.app === app).map((c) => c.name);
    const elsewhere = COMMANDS.find((c) => c.name === name);
    const hint = elsewhere ? ` ${name} is served by the application ${elsewhere.app}.` : '';
    throw new ODataError(404, 'NotFound', `No command '${name}' in ${app} (it has: ${here.join(', ') || 'none'}).${hint}`);
  }
  const params = validateCommandBody(definition, parseJson(await readBody(req, ctx.maxBodyBytes)));
  const handler = COMMAND_HANDLERS[definition.name];
  if (!handler) throw new ODataError(501, 'NotImplemented', `${definition.name} is not implemented by the emulator.`);
  const context = `${base}/$metadata#${definition.name}Response`;
  try {
    const output = handler(
      { store: ctx.store, user, checkPassword: ctx.checkPassword, now: () => new Date() },
      params,
    );
    ctx.onCommand?.(definition.name, user, output);
    sendJson(res, 200, { '@odata.context': context, Succeeded: true, Error: null, ...output });
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    sendJson(res, 200, {
      '@odata.context': context,
      Succeeded: false,
      Error: { ErrorCode: error.code, ErrorMessage: error.message },
    });
  }
}

function setsOf(app: string): EdmEntitySet[] {
  return ENTITY_SETS.filter((set) => set.app === app);
}

function requireSet(app: string, name: string): EdmEntitySet {
  const set = findEntitySet(name);
  if (set?.app === app) return set;
  const hint = set ? ` ${name} is served by the application ${set.app}.` : '';
  throw new ODataError(404, 'NotFound', `No entity set '${name}' in ${app}.${hint}`);
}

function requireRow(ctx: ODataHandlerContext, set: EdmEntitySet, key: string): Row {
  const row = ctx.store.source(set.name)?.get(key);
  if (!row) throw new ODataError(404, 'NotFound', `No ${set.name} with key '${key}'.`);
  return row;
}

function pageSize(ctx: ODataHandlerContext, req: IncomingMessage): number {
  const prefer = /odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ''));
  const asked = prefer ? Number(prefer[1]) : ctx.maxPageSize;
  return Math.max(1, Math.min(asked, ctx.maxPageSize));
}
