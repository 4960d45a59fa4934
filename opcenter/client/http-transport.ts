import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, parseRetryAfterMs } from './backoff';
import type { CircuitBreaker } from './circuit-breaker';
import type { ExchangeResponse, HttpExchange } from './http-exchange';
import {
  OpcenterBadRequestError,
  OpcenterNotFoundError,
  OpcenterUnauthorizedError,
  OpcenterUnavailableError,
  type OpcenterError,
  type UnavailableReason,
} from './errors';

/** What the `onRequest` hook hears after every HTTP request (retries and token requests included). */
export interface OpcenterRequestInfo {
  readonly method: string;
  readonly url: string;
  /** HTTP status; 0 when no answer came (network error or timeout). */
  readonly status: number;
  readonly durationMs: number;
  /** Set when no answer came. */
  readonly error?: Extract<UnavailableReason, 'timeout' | 'network'>;
}

/** One HTTP exchange with Opcenter. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Reads are retried on any transient failure; the rest only when the request never left. */
  readonly idempotent: boolean;
  /** What was asked for (entity set, command, token), for error messages. */
  readonly what: string;
}

/** A 2xx answer with its parsed JSON body (undefined when empty). */
export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Sends one request with timeout, retries and the circuit breaker; throws typed Opcenter errors. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** Settings of the transport; the client fills in every default. */
export interface HttpTransportOptions {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly breaker: CircuitBreaker;
  readonly exchange: HttpExchange;
  readonly onRequest?: (info: OpcenterRequestInfo) => void;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Creates the transport that every Opcenter request goes through. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const report = (info: OpcenterRequestInfo) => {
    try {
      options.onRequest?.(info);
    } catch {
      // A failing metrics hook must not fail the request it reports on.
    }
  };

  async function attempt(request: HttpRequest): Promise<HttpResponse> {
    options.breaker.acquire();
    const started = performance.now();
    let response: ExchangeResponse;
    try {
      response = await options.exchange(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        timeoutMs: options.timeoutMs,
        idempotent: request.idempotent,
      });
    } catch (error) {
      options.breaker.failure();
      const reason = isTimeout(error) ? 'timeout' : 'network';
      const durationMs = performance.now() - started;
      report({ method: request.method, url: request.url, status: 0, durationMs, error: reason });
      const message =
        reason === 'timeout'
          ? `Opcenter did not answer ${request.what} within ${options.timeoutMs} ms`
          : `Cannot reach Opcenter for ${request.what}`;
      throw new OpcenterUnavailableError(message, reason, { cause: error });
    }
    const durationMs = performance.now() - started;
    report({ method: request.method, url: request.url, status: response.status, durationMs });
    if (response.status >= 500) options.breaker.failure();
    else options.breaker.success();
    if (response.status >= 200 && response.status < 300) {
      return { status: response.status, body: parseBody(response.text, request) };
    }
    throw toHttpError(response, request);
  }

  function retryDelay(error: unknown, attemptIndex: number, request: HttpRequest): number | undefined {
    if (attemptIndex >= options.retries || !(error instanceof OpcenterUnavailableError)) return undefined;
    if (error.reason === 'circuit-open') return undefined;
    if (!request.idempotent && !neverSent(error)) return undefined;
    if (error.reason === 'server' && !RETRYABLE_STATUS.has(error.status ?? 0)) return undefined;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= options.maxRetryDelayMs ? error.retryAfterMs : undefined;
    }
    return backoffDelayMs(attemptIndex, options.retryBaseDelayMs, options.maxRetryDelayMs);
  }

  return async (request) => {
    for (let attemptIndex = 0; ; attemptIndex += 1) {
      try {
        return await attempt(request);
      } catch (error) {
        const delay = retryDelay(error, attemptIndex, request);
        if (delay === undefined) throw error;
        await sleep(delay);
      }
    }
  };
}

function parseBody(text: string, request: HttpRequest): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new OpcenterUnavailableError(`Opcenter answered ${request.what} with a body that is not JSON`, 'server', {
      cause: error,
    });
  }
}

function toHttpError(response: ExchangeResponse, request: HttpRequest): OpcenterError {
  const { status, text } = response;
  if (status === 401 || status === 403) {
    return new OpcenterUnauthorizedError(`Opcenter refused ${request.what} (${status})`, { status });
  }
  if (status === 404) return new OpcenterNotFoundError(`Opcenter has no ${request.what}`, { status });
  if (status === 429 || status >= 500) {
    return new OpcenterUnavailableError(`Opcenter answered ${request.what} with ${status}`, 'server', {
      status,
      retryAfterMs: parseRetryAfterMs(response.header('retry-after')),
    });
  }
  if (status >= 400) {
    const { code, message } = readErrorBody(text);
    const detail = message ?? code;
    return new OpcenterBadRequestError(
      `Opcenter rejected ${request.what} (${status})${detail ? `: ${detail}` : ''}`,
      code,
      message,
      { status },
    );
  }
  return new OpcenterUnavailableError(`Opcenter answered ${request.what} with ${status}`, 'server', { status });
}

/**
 * Opcenter's error text from an OData error (`{"error":{"code","message"}}`), a command reply
 * (`{"Error":{"ErrorCode","ErrorMessage"}}`) or an OAuth error (`{"error","error_description"}`).
 */
function readErrorBody(text: string): { code?: string; message?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isObject(body)) return {};
  const odata = body.error;
  if (isObject(odata)) {
    const message = isObject(odata.message) ? odata.message.value : odata.message;
    return { code: asString(odata.code), message: asString(message) };
  }
  if (typeof odata === 'string') return { code: odata, message: asString(body.error_description) };
  if (isObject(body.Error)) {
    return { code: asString(body.Error.ErrorCode), message: asString(body.Error.ErrorMessage) };
  }
  return {};
}

function neverSent(error: OpcenterUnavailableError): boolean {
  if (error.reason !== 'network') return false;
  const cause = (error.cause as { cause?: unknown } | undefined)?.cause;
  const codes = [cause, ...(isObject(cause) && Array.isArray(cause.errors) ? cause.errors : [])].map((item) =>
    isObject(item) ? item.code : undefined,
  );
  return codes.some((code) => typeof code === 'string' && NEVER_SENT_CODES.has(code));
}

function isTimeout(error: unknown): boolean {
  return isObject(error) && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
