import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header that carries `sha256=<hex HMAC-SHA256 of the raw body>`, as Opcenter's connector sends it. */
export const SIGNATURE_HEADER = 'x-opcenter-signature';

/** What a request's headers say about its sender, before the body is read. */
export type Credentials =
  /** A valid `Authorization: Bearer <secret>`, or no credentials where unsigned events are allowed. */
  | { kind: 'authorized' }
  /** A signature to check against the body once it has been read. */
  | { kind: 'signature'; digest: Buffer }
  /** Refused at once; `message` says what to send instead. */
  | { kind: 'refused'; message: string };

/** How to authenticate, for the 401 message (never the secret itself). */
export const HOW_TO_AUTHENTICATE =
  'Send X-Opcenter-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the shared secret>, ' +
  'or Authorization: Bearer <shared secret>.';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks a request's credentials as far as its headers allow. A valid bearer secret wins; a
 * signature is checked later against the body; without credentials a request passes only when
 * `allowUnsigned` (credentials that are present are always checked).
 * @param secret the shared secret; undefined only when `allowUnsigned`
 */
export function readCredentials(headers: IncomingHttpHeaders, secret: string | undefined, allowUnsigned: boolean): Credentials {
  const signature = single(headers[SIGNATURE_HEADER]);
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim();
  if (secret === undefined) return allowUnsigned ? { kind: 'authorized' } : { kind: 'refused', message: HOW_TO_AUTHENTICATE };
  if (bearer !== undefined && sameSecret(bearer, secret)) return { kind: 'authorized' };
  if (signature !== undefined) {
    const hex = SIGNATURE.exec(signature.trim())?.[1];
    if (hex === undefined) {
      return { kind: 'refused', message: `X-Opcenter-Signature must be sha256=<64 hex digits>. ${HOW_TO_AUTHENTICATE}` };
    }
    return { kind: 'signature', digest: Buffer.from(hex, 'hex') };
  }
  if (bearer !== undefined || headers.authorization !== undefined) {
    return { kind: 'refused', message: `The Authorization header does not carry the shared secret. ${HOW_TO_AUTHENTICATE}` };
  }
  return allowUnsigned ? { kind: 'authorized' } : { kind: 'refused', message: HOW_TO_AUTHENTICATE };
}

/** Whether `digest` is the HMAC-SHA256 of `body` keyed with `secret`, compared in constant time. */
export function signatureMatches(body: Buffer, digest: Buffer, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  return digest.length === expected.length && timingSafeEqual(digest, expected);
}

/** Compares digests, not the strings, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
