import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidEventError } from '../insights/errors';
import type { EventQueue } from '../insights/event-queue';
import { isOpcenterEventType, parseOpcenterEvent, type OpcenterEvent } from '../insights/events';
import type { IngestConfig } from './config';
import { readCredentials, signatureMatches, HOW_TO_AUTHENTICATE } from './event-auth';
import { IngestMetrics, type EventTypeLabel, type IngestOutcome } from './ingest-metrics';

/** What the server needs of the event queue: an `EventQueue`, or a stand-in with the same contract. */
export type EventSink = Pick<EventQueue, 'enqueue' | 'ping'>;

/** Options of {@link startIngestServer}: the ingest configuration and the queue events go to. */
export interface IngestServerOptions extends Pick<IngestConfig, 'host' | 'port' | 'secret' | 'allowUnsigned' | 'maxBodyBytes'> {
  /** Where accepted events go; `enqueue` resolving is the point at which an event is durable. */
  events: EventSink;
  /** Counters behind `/metrics`. Default: a fresh set. */
  metrics?: IngestMetrics;
  /** `Retry-After` of a 503, in seconds. Default 5. */
  retryAfterSeconds?: number;
  /** One line per refused or failed request. Default: none. */
  log?: (message: string) => void;
}

/** A listening ingest server. */
export interface IngestServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`; events go to `${url}/events`. */
  url: string;
  metrics: IngestMetrics;
  /** Stops accepting connections and resolves once requests in flight have been answered. */
  close(): Promise<void>;
}

/** Paths and the methods each one allows. */
const ROUTES: Record<string, readonly string[]> = {
  '/events': ['POST'],
  '/healthz': ['GET', 'HEAD'],
  '/readyz': ['GET', 'HEAD'],
  '/metrics': ['GET', 'HEAD'],
};

/** Longest a request may take from its first byte to its last; a slow sender is cut off. */
const REQUEST_TIMEOUT_MS = 30_000;
/** How long `close` lets keep-alive connections finish before it cuts them. */
const CLOSE_GRACE_MS = 5000;

interface Context {
  options: IngestServerOptions;
  metrics: IngestMetrics;
  log: (message: string) => void;
}

/** A refusal: status, error code, message, and the outcome it counts as. */
interface Refusal {
  status: number;
  code: string;
  message: string;
  outcome?: IngestOutcome;
  field?: string;
  headers?: OutgoingHttpHeaders;
  /** For the log only: what went wrong inside (never sent to the client). */
  detail?: string;
}

/**
 * Starts the ingest HTTP server: `POST /events` authenticates, validates and enqueues one Opcenter
 * event and answers 202 once it is durable; `GET /healthz`, `/readyz` and `/metrics` serve probes
 * and Prometheus. A bad request is answered and logged, never thrown.
 */
export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const context: Context = { options, metrics: options.metrics ?? new IngestMetrics(), log: options.log ?? (() => undefined) };
  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    route(req, res, context).catch((error: unknown) => {
      context.log(`${req.method} ${pathOf(req)}: ${messageOf(error)}`);
      if (!res.headersSent && !res.destroyed) {
        sendError(req, res, { status: 500, code: 'INTERNAL', message: 'Ingest failed on this request; retry it.' });
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    metrics: context.metrics,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
        server.close((error) => {
          clearTimeout(cut);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      })),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const path = pathOf(req);
  const methods = ROUTES[path];
  if (!methods) {
    return sendError(req, res, { status: 404, code: 'NOT_FOUND', message: `No ${path} here: post events to /events.` });
  }
  if (!methods.includes(req.method ?? '')) {
    const allow = methods.join(', ');
    return sendError(req, res, { status: 405, code: 'METHOD_NOT_ALLOWED', message: `${path} takes ${allow}.`, headers: { allow } });
  }
  switch (path) {
    case '/events':
      return receiveEvent(req, res, context);
    case '/healthz':
      return sendJson(req, res, 200, { status: 'ok' });
    case '/readyz':
      return checkReady(req, res, context);
    default:
      return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(context.metrics.render());
  }
}

async function receiveEvent(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const { options } = context;
  let type = typeLabelOf(req.headers['x-opcenter-event-type']);
  const refuse = (refusal: Refusal) => {
    context.metrics.record(type, refusal.outcome ?? 'invalid');
    const eventId = printable(single(req.headers['x-opcenter-event-id']) ?? '-');
    const detail = refusal.detail ? ` (${refusal.detail})` : '';
    const from = req.socket.remoteAddress;
    context.log(`${refusal.status} ${refusal.code} event ${eventId} (${type}) from ${from}: ${refusal.message}${detail}`);
    sendError(req, res, refusal);
  };

  if (Number(req.headers['content-length']) > options.maxBodyBytes) return refuse(tooLarge(options.maxBodyBytes));
  const credentials = readCredentials(req.headers, options.secret, options.allowUnsigned);
  if (credentials.kind === 'refused') return refuse(unauthenticated(credentials.message));
  const body = await readBody(req, options.maxBodyBytes);
  if (body === undefined) return refuse(tooLarge(options.maxBodyBytes));
  if (credentials.kind === 'signature' && !signatureMatches(body, credentials.digest, options.secret ?? '')) {
    return refuse(unauthenticated(`The X-Opcenter-Signature does not match the body: sign the exact bytes sent. ${HOW_TO_AUTHENTICATE}`));
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    return refuse({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `Content-Type must be application/json (UTF-8), got ${printable(req.headers['content-type'] ?? 'none')}.`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    return refuse({ status: 400, code: 'INVALID_JSON', message: `The body is not UTF-8 JSON: ${messageOf(error)}` });
  }
  const bodyType = typeLabelOf((value as { eventType?: unknown } | null)?.eventType);
  if (bodyType !== 'unknown') type = bodyType;
  let event: OpcenterEvent;
  try {
    event = parseOpcenterEvent(value);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    return refuse({ status: 400, code: error.code, field: error.field, message: error.message });
  }
  let outcome: 'accepted' | 'duplicate';
  try {
    outcome = await options.events.enqueue(event);
  } catch (error) {
    const retryAfter = options.retryAfterSeconds ?? 5;
    return refuse({
      status: 503,
      code: 'UNAVAILABLE',
      outcome: 'unavailable',
      message: `The event could not be made durable: the queue is unavailable. Retry it after ${retryAfter} s.`,
      headers: { 'retry-after': String(retryAfter) },
      detail: messageOf(error),
    });
  }
  context.metrics.record(event.eventType, outcome);
  sendJson(req, res, 202, { id: event.id, status: outcome });
}

async function checkReady(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  try {
    await context.options.events.ping();
    sendJson(req, res, 200, { status: 'ready' });
  } catch (error) {
    context.log(`readyz: ${messageOf(error)}`);
    sendError(req, res, { status: 503, code: 'UNAVAILABLE', message: 'Redis does not answer: events cannot be made durable.' });
  }
}

/**
 * Reads a body of at most `limit` bytes. Past the limit it stops reading, drops what it read and
 * answers undefined; the response then closes the connection, so the rest is never buffered.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (settle: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.pause();
      finish(() => resolve(undefined));
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, size)));
    const onAbort = () => finish(() => reject(new Error('the client closed the connection before the body ended')));
    const onError = (error: Error) => (req.complete ? finish(() => reject(error)) : onAbort());
    const onClose = onAbort;
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function tooLarge(limit: number): Refusal {
  const message = `The body exceeds ${limit} bytes; post one event per request.`;
  return { status: 413, code: 'PAYLOAD_TOO_LARGE', outcome: 'too_large', message };
}

function unauthenticated(message: string): Refusal {
  const headers = { 'www-authenticate': 'Bearer realm="opcenter-events"' };
  return { status: 401, code: 'UNAUTHENTICATED', outcome: 'unauthorized', message, headers };
}

function isJsonContentType(header: string | undefined): boolean {
  const [mediaType, ...parameters] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

function typeLabelOf(value: unknown): EventTypeLabel {
  return isOpcenterEventType(value) ? value : 'unknown';
}

function sendError(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const { status, code, message, field, headers } = refusal;
  sendJson(req, res, status, { error: { code, ...(field !== undefined ? { field } : {}), message } }, headers);
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  // A response sent before the body was read ends the connection, so the rest is never read.
  const close = req.complete ? {} : { connection: 'close' };
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      ...close,
      ...headers,
    })
    .end(text);
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

/** Header text fit for a one-line log: control characters replaced, at most 100 characters. */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 100 ? `${clean.slice(0, 100)}...` : clean;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
