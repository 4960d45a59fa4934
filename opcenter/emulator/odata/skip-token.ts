import { ODataError } from './odata-error';
import type { SkipToken } from './query-types';

const TOKEN_TEXT = /^(\d{1,15}):(\d{1,15})?$/;

/** Encodes a page position as an opaque base64url `$skiptoken`. */
export function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(`${token.offset}:${token.remaining ?? ''}`, 'utf8').toString('base64url');
}

/** Decodes a `$skiptoken` this service issued; anything else is a 400 InvalidQueryOption. */
export function decodeSkipToken(text: string): SkipToken {
  const match = TOKEN_TEXT.exec(Buffer.from(text, 'base64url').toString('utf8'));
  const token = match ? { offset: Number(match[1]), remaining: match[2] === undefined ? undefined : Number(match[2]) } : undefined;
  if (!token || encodeSkipToken(token) !== text) {
    throw ODataError.badRequest('InvalidQueryOption', `The $skiptoken '${text}' is not valid; follow the @odata.nextLink the service returned.`, '$skiptoken');
  }
  return token;
}
