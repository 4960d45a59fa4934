import { createAuthorizedTransport } from './authorized-transport';
import { CircuitBreaker } from './circuit-breaker';
import { resolveClientOptions, type OpcenterClientOptions } from './client-options';
import {
  OpcenterCommandFailedError,
  OpcenterInvalidQueryError,
  OpcenterNotFoundError,
  OpcenterUnavailableError,
} from './errors';
import { createHttpTransport } from './http-transport';
import type { ConceptMapping, OpcenterMapping } from './mapping';
import { conceptOf } from './name-translator';
import { toODataInQueries, toODataKey, toODataQuery, type OpcenterQuery } from './odata-query-builder';
import { toLogicalRow, type Row } from './row-translator';
import { TokenProvider } from './token-provider';

/** One page of a read. */
export interface OpcenterPage<T = Row> {
  readonly items: T[];
  /** `@odata.count`, when the query asked for `count`. */
  readonly count?: number;
  /** Absolute URL of the next page (pass it to `nextPage`), when there is one. */
  readonly nextLink?: string;
}

/** Select and expand of a single-entity read. */
export type OpcenterEntityQuery = Pick<OpcenterQuery, 'select' | 'expand'>;

/** A `getMany` query: paging is the client's business there. */
export type OpcenterManyQuery = Omit<OpcenterQuery, 'top' | 'skip' | 'count'>;

/** A command's reply, less `Succeeded`, `Error` and `@odata.context`, its return values renamed with the mapping. */
export type OpcenterCommandResult = Record<string, unknown>;

/**
 * The one client that speaks Opcenter's OData. Concepts, fields and commands are logical names from
 * the mapping; rows come back under logical names. `T` only types the result; it is not checked.
 */
export interface OpcenterClient {
  readonly mapping: OpcenterMapping;
  /** One page of a concept's rows. */
  list<T = Row>(concept: string, query?: OpcenterQuery): Promise<OpcenterPage<T>>;
  /** The page at a `nextLink` that `list` or `nextPage` returned. */
  nextPage<T = Row>(concept: string, nextLink: string): Promise<OpcenterPage<T>>;
  /** Every page of a read, following `@odata.nextLink` to the end. */
  iterate<T = Row>(concept: string, query?: OpcenterQuery): AsyncGenerator<OpcenterPage<T>, void, undefined>;
  /** Every row of a read, following `@odata.nextLink` to the end. */
  listAll<T = Row>(concept: string, query?: OpcenterQuery): Promise<T[]>;
  /** The row with this key (`/{EntitySet}({key})`, `@odata.context` dropped), or null when Opcenter answers 404. */
  get<T = Row>(concept: string, key: string | number, query?: OpcenterEntityQuery): Promise<T | null>;
  /** The row with this key, or OpcenterNotFoundError. */
  getOrThrow<T = Row>(concept: string, key: string | number, query?: OpcenterEntityQuery): Promise<T>;
  /** The row whose natural key (NId, serial number) is `value`, or null. */
  getByNaturalKey<T = Row>(concept: string, value: string, query?: OpcenterEntityQuery): Promise<T | null>;
  /**
   * Every row whose `field` is one of `values`, in as few requests as the URL limit allows
   * (`field in (...)`, values deduplicated, every page of each request followed). Rows come in
   * request order, not in the order of `values`.
   */
  getMany<T = Row>(
    concept: string,
    field: string,
    values: readonly (string | number)[],
    query?: OpcenterManyQuery,
  ): Promise<T[]>;
  /**
   * Runs a command; throws OpcenterCommandFailedError when Opcenter answers `Succeeded: false`.
   * Never retried once it may have reached Opcenter.
   */
  command<T = OpcenterCommandResult>(name: string, params: Readonly<Record<string, unknown>>): Promise<T>;
}

// Chunks of one getMany sent at the same time: enough to overlap latency, few enough to be polite.
const GET_MANY_CONCURRENCY = 4;

/** Creates an Opcenter client. Reads no environment: the process's config module passes everything in. */
export function createOpcenterClient(clientOptions: OpcenterClientOptions): OpcenterClient {
  const options = resolveClientOptions(clientOptions);
  const { baseUrl, mapping, maxUrlLength } = options;
  const origin = new URL(baseUrl).origin;
  const send = createHttpTransport({ ...options, breaker: new CircuitBreaker(options.breaker) });
  const authorized = createAuthorizedTransport(send, new TokenProvider({ ...options, send }));
  const readHeaders: Record<string, string> = { Accept: 'application/json', 'OData-MaxVersion': '4.0' };
  if (options.pageSize !== undefined) readHeaders.Prefer = `odata.maxpagesize=${options.pageSize}`;

  const entitySetUrl = (concept: ConceptMapping) =>
    `${baseUrl}/sit-svc/Application/${concept.app}/odata/${concept.entitySet}`;

  function readUrl(concept: ConceptMapping, suffix: string): string {
    const href = new URL(entitySetUrl(concept) + suffix).href;
    if (href.length > maxUrlLength) {
      throw new OpcenterInvalidQueryError(
        `The query makes a URL of ${href.length} characters, over maxUrlLength ${maxUrlLength}`,
      );
    }
    return href;
  }

  const read = (url: string, what: string) =>
    authorized({ method: 'GET', url, headers: readHeaders, idempotent: true, what });

  async function readPage<T>(concept: ConceptMapping, url: string): Promise<OpcenterPage<T>> {
    const body = await read(url, concept.entitySet);
    if (!isRecord(body) || !Array.isArray(body.value)) {
      throw new OpcenterUnavailableError(`Opcenter answered ${concept.entitySet} without a value array`, 'server');
    }
    const next = body['@odata.nextLink'];
    const count = body['@odata.count'];
    return {
      items: body.value.map((row: unknown) => (isRecord(row) ? toLogicalRow(mapping, concept, row) : row)) as T[],
      count: typeof count === 'number' ? count : undefined,
      nextLink: typeof next === 'string' ? resolveNextLink(next, url) : undefined,
    };
  }

  /**
   * The URL of a nextLink. Behind a proxy Opcenter may link with its internal host name; the token
   * must never travel there, so such a link is rebased onto `baseUrl` from its `/sit-svc/` path on.
   */
  function resolveNextLink(nextLink: string, requestUrl: string): string {
    const url = new URL(nextLink, requestUrl);
    if (url.origin === origin) return url.href;
    const at = url.pathname.indexOf('/sit-svc/');
    if (at < 0) {
      throw new OpcenterUnavailableError('Opcenter answered with a nextLink outside its OData service', 'server');
    }
    return new URL(baseUrl + url.pathname.slice(at) + url.search).href;
  }

  async function* iteratePages<T>(concept: ConceptMapping, firstUrl: string) {
    let url: string | undefined = firstUrl;
    while (url !== undefined) {
      const page: OpcenterPage<T> = await readPage<T>(concept, url);
      yield page;
      if (page.nextLink === url) {
        throw new OpcenterUnavailableError('Opcenter answered with a nextLink to the same page', 'server');
      }
      url = page.nextLink;
    }
  }

  async function collect<T>(concept: ConceptMapping, firstUrl: string): Promise<T[]> {
    const items: T[] = [];
    for await (const page of iteratePages<T>(concept, firstUrl)) items.push(...page.items);
    return items;
  }

  async function getOrThrow<T>(name: string, key: string | number, query: OpcenterEntityQuery = {}): Promise<T> {
    const concept = conceptOf(mapping, name);
    const url = readUrl(concept, toODataKey(concept, key) + toODataQuery(mapping, concept, query));
    const body = await read(url, `${concept.entitySet} ${key}`);
    if (!isRecord(body)) {
      throw new OpcenterUnavailableError(`Opcenter answered ${concept.entitySet} without an entity`, 'server');
    }
    const { '@odata.context': _context, ...entity } = body;
    return toLogicalRow(mapping, concept, entity) as T;
  }

  async function getByNaturalKey<T>(name: string, value: string, query: OpcenterEntityQuery = {}) {
    const concept = conceptOf(mapping, name);
    if (concept.naturalKey === undefined) {
      throw new OpcenterInvalidQueryError(`The mapping gives ${name} no naturalKey`);
    }
    const filter = { [concept.naturalKey]: value };
    const url = readUrl(concept, toODataQuery(mapping, concept, { ...query, filter, top: 1 }));
    const page = await readPage<T>(concept, url);
    return page.items[0] ?? null;
  }

  async function getMany<T>(
    name: string,
    field: string,
    values: readonly (string | number)[],
    query: OpcenterManyQuery = {},
  ): Promise<T[]> {
    const concept = conceptOf(mapping, name);
    if (values.length === 0) return [];
    const urlPrefix = entitySetUrl(concept);
    const queries = toODataInQueries(mapping, concept, field, values, query, { urlPrefix, maxUrlLength });
    const results = new Array<T[]>(queries.length);
    let next = 0;
    const worker = async () => {
      while (next < queries.length) {
        const index = next++;
        results[index] = await collect<T>(concept, new URL(urlPrefix + queries[index]).href);
      }
    };
    await Promise.all(Array.from({ length: Math.min(GET_MANY_CONCURRENCY, queries.length) }, worker));
    return results.flat();
  }

  async function command<T>(name: string, params: Readonly<Record<string, unknown>>): Promise<T> {
    const target = mapping.commands.get(name);
    if (target === undefined) {
      const known = [...mapping.commands.keys()].join(', ');
      throw new OpcenterInvalidQueryError(`Unknown Opcenter command '${name}'; the mapping has ${known}`);
    }
    const body: Record<string, unknown> = {};
    for (const [param, value] of Object.entries(params)) body[target.parameters.get(param) ?? param] = value;
    const reply = await authorized({
      method: 'POST',
      url: `${baseUrl}/sit-svc/Application/${target.app}/odata/${target.command}`,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'OData-MaxVersion': '4.0' },
      body: JSON.stringify({ command: body }),
      idempotent: false,
      what: `command ${target.command}`,
    });
    const result: Record<string, unknown> = {};
    if (!isRecord(reply)) return result as T;
    if (reply.Succeeded === false) {
      const error = isRecord(reply.Error) ? reply.Error : {};
      const code =
        typeof error.ErrorCode === 'string' || typeof error.ErrorCode === 'number' ? error.ErrorCode : undefined;
      const message = typeof error.ErrorMessage === 'string' ? error.ErrorMessage : undefined;
      throw new OpcenterCommandFailedError(target.command, code, message);
    }
    for (const [property, value] of Object.entries(reply)) {
      if (property === 'Succeeded' || property === 'Error' || property === '@odata.context') continue;
      result[target.returns.get(property) ?? property] = value;
    }
    return result as T;
  }

  return {
    mapping,
    list: async (name, query = {}) => {
      const concept = conceptOf(mapping, name);
      return readPage(concept, readUrl(concept, toODataQuery(mapping, concept, query)));
    },
    nextPage: async (name, nextLink) => readPage(conceptOf(mapping, name), resolveNextLink(nextLink, baseUrl)),
    iterate: (name, query = {}) => {
      const concept = conceptOf(mapping, name);
      return iteratePages(concept, readUrl(concept, toODataQuery(mapping, concept, query)));
    },
    listAll: async (name, query = {}) => {
      const concept = conceptOf(mapping, name);
      return collect(concept, readUrl(concept, toODataQuery(mapping, concept, query)));
    },
    get: async (name, key, query) => {
      try {
        return await getOrThrow(name, key, query);
      } catch (error) {
        if (error instanceof OpcenterNotFoundError) return null;
        throw error;
      }
    },
    getOrThrow,
    getByNaturalKey,
    getMany,
    command,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
