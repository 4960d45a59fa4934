import { ODataError } from './odata-error';

/** One piece of an option's text and its 0-based offset in that text. */
export interface OptionPart {
  readonly text: string;
  readonly pos: number;
}

/**
 * Splits an option's text at `separator` where it is outside parentheses and string literals
 * (`$expand=A($filter=X eq 'a,b'),B` splits in two). Throws a 400 for unbalanced input.
 */
export function splitTopLevel(text: string, separator: string, option: string): OptionPart[] {
  const parts: OptionPart[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (char === '(') depth++;
    else if (char === ')') {
      if (--depth < 0) throw unbalanced(option, `unexpected ')' at position ${i}`);
    } else if (char === separator && depth === 0) {
      parts.push({ text: text.slice(start, i), pos: start });
      start = i + 1;
    }
  }
  if (quoted) throw unbalanced(option, 'unterminated string literal');
  if (depth > 0) throw unbalanced(option, "missing ')'");
  parts.push({ text: text.slice(start), pos: start });
  return parts;
}

function unbalanced(option: string, detail: string): ODataError {
  return ODataError.badRequest('InvalidQueryOption', `Syntax error in ${option}: ${detail}.`);
}
