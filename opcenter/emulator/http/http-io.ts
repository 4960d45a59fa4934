import type { IncomingMessage, ServerResponse } from 'node:http';
import { ODataError } from '../odata/odata-error';

/** Reads a request body up to `limit` bytes; past it, throws a 413 ODataError and stops reading. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body, or throws a 400 naming the problem. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ODataError(400, 'BadRequest', `The request body is not valid JSON: ${(error as Error).message}.`);
  }
}

/** Sends a JSON body with OData headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; odata.metadata=minimal; charset=utf-8',
    'odata-version': '4.0',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends plain text or XML. */
export function sendText(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'odata-version': '4.0',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Sends an OData error body `{"error":{"code","message"}}`. */
export function sendError(res: ServerResponse, error: ODataError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, error.toBody(), headers);
}

function tooLarge(limit: number): ODataError {
  return new ODataError(413, 'PayloadTooLarge', `The request body is larger than ${limit} bytes.`);
}
