import type { CircuitBreakerOptions } from './circuit-breaker';
import type { OpcenterRequestInfo } from './http-transport';
import { createNodeHttpExchange, exchangeViaFetch, type HttpExchange } from './http-exchange';
import { loadMapping, type OpcenterMapping } from './mapping';

/** How to reach one Opcenter (or the emulator) and how hard to try. */
export interface OpcenterClientOptions {
  /** Root URL of Opcenter, e.g. `https://opcenter.plant.example` (the emulator: `http://127.0.0.1:4100`). */
  baseUrl: string;
  /** OAuth client id, sent with the secret as HTTP Basic on the token request. */
  clientId: string;
  clientSecret: string;
  /** The service user of the password grant. */
  username: string;
  password: string;
  /** OAuth scope of the token request. Default: none sent. */
  scope?: string;
  /** A loaded mapping, or the path of a mapping file. Default: `mapping.json` beside this module. */
  mapping?: OpcenterMapping | string;
  /** Time limit of each HTTP request, in ms. Default 10000. */
  timeoutMs?: number;
  /**
   * Extra attempts for reads and token requests on network errors, timeouts, 429, 502, 503 and 504.
   * Commands get them only when the connection was refused (they never reached Opcenter). Default 3.
   */
  retries?: number;
  /** Base of the exponential backoff with full jitter, in ms. Default 100. */
  retryBaseDelayMs?: number;
  /** Longest wait before a retry, in ms; a longer `Retry-After` is not waited for but reported. Default 5000. */
  maxRetryDelayMs?: number;
  /** Circuit breaker. Defaults: failureThreshold 5, resetAfterMs 10000. */
  breaker?: CircuitBreakerOptions;
  /** Longest URL a read may use; `getMany` splits its values to stay under it. Default 2048. */
  maxUrlLength?: number;
  /** Page size asked of Opcenter with `Prefer: odata.maxpagesize`. Default: not sent (server's choice). */
  pageSize?: number;
  /**
   * A WHATWG fetch to send requests with instead of the built-in keep-alive `node:http` pool (e.g. one
   * that goes through a proxy, or a test's fault injector). Default: the pool.
   */
  fetch?: typeof fetch;
  /** Most open connections to Opcenter at once when no `fetch` is given. Default 64. */
  maxSockets?: number;
  /** Called after each HTTP request (retries and token requests included), e.g. to count OData calls. */
  onRequest?: (info: OpcenterRequestInfo) => void;
}

/** The options with every default filled in and the base URL normalized (no trailing slash). */
export type ResolvedClientOptions = Required<
  Omit<OpcenterClientOptions, 'scope' | 'pageSize' | 'onRequest' | 'mapping' | 'breaker' | 'fetch' | 'maxSockets'>
> &
  Pick<OpcenterClientOptions, 'scope' | 'pageSize' | 'onRequest' | 'breaker'> & {
    mapping: OpcenterMapping;
    exchange: HttpExchange;
  };

const NUMERIC = ['timeoutMs', 'retries', 'retryBaseDelayMs', 'maxRetryDelayMs', 'maxUrlLength', 'pageSize'] as const;

/** Checks the options and fills in the defaults; throws a TypeError that never echoes credentials. */
export function resolveClientOptions(options: OpcenterClientOptions): ResolvedClientOptions {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new TypeError('Opcenter baseUrl is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('Opcenter baseUrl must be http or https');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('Opcenter baseUrl must be a plain root URL, without credentials, query or fragment');
  }
  if (options.maxSockets !== undefined && (!Number.isSafeInteger(options.maxSockets) || options.maxSockets < 1)) {
    throw new TypeError('Opcenter client option maxSockets must be a positive integer');
  }
  for (const name of NUMERIC) {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new TypeError(`Opcenter client option ${name} must be a non-negative integer`);
    }
  }
  const mapping =
    options.mapping === undefined || typeof options.mapping === 'string'
      ? loadMapping(options.mapping)
      : options.mapping;
  return {
    ...options,
    baseUrl: url.href.replace(/\/+$/, ''),
    mapping,
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 100,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 5000,
    maxUrlLength: options.maxUrlLength ?? 2048,
    exchange:
      options.fetch === undefined
        ? createNodeHttpExchange({ maxSockets: options.maxSockets })
        : exchangeViaFetch(options.fetch),
  };
}
