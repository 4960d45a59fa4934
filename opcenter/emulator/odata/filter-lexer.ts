import { ODataError } from './odata-error';

/** The kinds of token in a `$filter` or `$orderby` expression. */
export type TokenKind = 'identifier' | 'string' | 'number' | 'guid' | 'datetime' | '(' | ')' | ',' | '/' | ':' | 'eof';

/** One token; `pos` is its 0-based offset in the option text, `value` the decoded literal. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
  readonly value?: string | number;
}

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/y;
const DATETIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?:Z|[+\- ]\d{2}:\d{2})/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const PUNCTUATION = new Set(['(', ')', ',', '/', ':']);

/** Splits an option's text into tokens; throws a 400 ODataError naming the position of bad input. */
export function tokenize(text: string, option: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const char = text[pos] as string;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      pos++;
      continue;
    }
    const token = readToken(text, pos, char, option);
    tokens.push(token);
    pos += token.text.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}

function readToken(text: string, pos: number, char: string, option: string): Token {
  if (char === "'") return readString(text, pos, option);
  if (PUNCTUATION.has(char)) return { kind: char as TokenKind, text: char, pos };
  const guid = match(GUID, text, pos);
  if (guid !== undefined && !isWordChar(text[pos + guid.length])) {
    return { kind: 'guid', text: guid, pos, value: guid.toLowerCase() };
  }
  const datetime = match(DATETIME, text, pos);
  if (datetime !== undefined) {
    const iso = datetime.length > 20 && datetime[datetime.length - 6] === ' ' ? `${datetime.slice(0, -6)}+${datetime.slice(-5)}` : datetime;
    if (Number.isNaN(Date.parse(iso))) throw syntaxError(option, pos, `'${datetime}' is not a valid DateTimeOffset`);
    return { kind: 'datetime', text: datetime, pos, value: iso };
  }
  if (isDigit(char) || (char === '-' && isDigit(text[pos + 1]))) {
    const number = match(NUMBER, text, pos) as string;
    if (isWordChar(text[pos + number.length])) {
      throw syntaxError(option, pos, `'${text.slice(pos, pos + number.length + 1)}' is not a valid number`);
    }
    return { kind: 'number', text: number, pos, value: Number(number) };
  }
  const identifier = match(IDENTIFIER, text, pos);
  if (identifier !== undefined) return { kind: 'identifier', text: identifier, pos };
  throw syntaxError(option, pos, `unexpected character '${char}'`);
}

function readString(text: string, start: number, option: string): Token {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const quote = text.indexOf("'", pos);
    if (quote < 0) throw syntaxError(option, start, 'unterminated string literal');
    value += text.slice(pos, quote);
    if (text[quote + 1] === "'") {
      value += "'";
      pos = quote + 2;
    } else {
      return { kind: 'string', text: text.slice(start, quote + 1), pos: start, value };
    }
  }
}

function match(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9_]/.test(char);
}

/** A 400 `InvalidFilter` (or `InvalidQueryOption` outside `$filter`) syntax error at a position. */
export function syntaxError(option: string, pos: number, detail: string): ODataError {
  const code = option.startsWith('$filter') ? 'InvalidFilter' : 'InvalidQueryOption';
  return ODataError.badRequest(code, `Syntax error at position ${pos} in ${option}: ${detail}.`);
}
