import type { EdmEntitySet, EdmType } from '../../model/edm';
import type {
  ComparisonOperator,
  FilterFunctionName,
  FilterNode,
  LiteralNode,
  NavigationStep,
} from './filter-ast';
import { typeOfNode } from './filter-ast';
import { syntaxError, type Token, type TokenKind } from './filter-lexer';
import { describeNode, requireBoolean, unifyOperands } from './filter-types';
import { ODataError } from './odata-error';

/** Resolves an entity set by name (navigation targets), or undefined when the service lacks it. */
export type SetResolver = (name: string) => EdmEntitySet | undefined;

/** How deeply parentheses, `not`, function calls and lambdas may nest. */
export const MAX_FILTER_DEPTH = 50;

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const RESERVED = new Set<string>([...COMPARISONS, 'and', 'or', 'not', 'in']);

const S: EdmType = 'Edm.String';
const FUNCTIONS: Record<FilterFunctionName, { params: readonly EdmType[]; returns: EdmType }> = {
  contains: { params: [S, S], returns: 'Edm.Boolean' },
  startswith: { params: [S, S], returns: 'Edm.Boolean' },
  endswith: { params: [S, S], returns: 'Edm.Boolean' },
  indexof: { params: [S, S], returns: 'Edm.Int32' },
  length: { params: [S], returns: 'Edm.Int32' },
  tolower: { params: [S], returns: S },
  toupper: { params: [S], returns: S },
  trim: { params: [S], returns: S },
  year: { params: ['Edm.DateTimeOffset'], returns: 'Edm.Int32' },
  month: { params: ['Edm.DateTimeOffset'], returns: 'Edm.Int32' },
  day: { params: ['Edm.DateTimeOffset'], returns: 'Edm.Int32' },
  hour: { params: ['Edm.DateTimeOffset'], returns: 'Edm.Int32' },
};

interface Scope {
  readonly name: string;
  readonly set: EdmEntitySet;
}

/**
 * A recursive-descent parser over the tokens of one `$filter` or `$orderby`, producing a typed
 * AST checked against the entity model. Precedence, loosest first: `or`, `and`, `not`,
 * comparisons and `in`, then primaries (literals, paths, calls, lambdas, parentheses).
 */
export class ExpressionParser {
  private index = 0;
  private depth = 0;
  private readonly scopes: Scope[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly root: EdmEntitySet,
    private readonly resolveSet: SetResolver,
    private readonly option: string,
  ) {}

  /** Parses one expression of any type. */
  parseExpression(): FilterNode {
    return this.parseOr();
  }

  /** Consumes the next token when it is one of these keywords, returning it. */
  acceptKeyword(...words: string[]): string | undefined {
    const token = this.peek();
    if (token.kind !== 'identifier' || !words.includes(token.text)) return undefined;
    this.index++;
    return token.text;
  }

  /** Consumes the next token when it is of this kind. */
  accept(kind: TokenKind): boolean {
    if (this.peek().kind !== kind) return false;
    this.index++;
    return true;
  }

  /** Throws a syntax error unless every token was consumed; `expected` names what may follow. */
  expectEnd(expected: string): void {
    const token = this.peek();
    if (token.kind !== 'eof') throw this.error(token, `unexpected '${token.text}'; expected ${expected}`);
  }

  private parseOr(): FilterNode {
    return this.parseLogical('or', () => this.parseAnd());
  }

  private parseAnd(): FilterNode {
    return this.parseLogical('and', () => this.parseNot());
  }

  private parseLogical(kind: 'and' | 'or', operand: () => FilterNode): FilterNode {
    const first = operand();
    if (!this.isKeyword(kind)) return first;
    const operands = [first];
    while (this.acceptKeyword(kind)) {
      this.expectOperand(kind);
      operands.push(operand());
    }
    for (const node of operands) requireBoolean(node, `Each operand of '${kind}'`);
    return { kind, operands };
  }

  private parseNot(): FilterNode {
    const token = this.peek();
    if (!this.isKeyword('not')) return this.parseComparison();
    this.index++;
    this.expectOperand('not');
    this.enter(token);
    const operand = this.parseNot();
    this.depth--;
    requireBoolean(operand, "The operand of 'not'");
    return { kind: 'not', operand };
  }

  private parseComparison(): FilterNode {
    const left = this.parsePrimary();
    const token = this.peek();
    if (token.kind !== 'identifier') return left;
    if (COMPARISONS.has(token.text)) {
      this.index++;
      this.expectOperand(token.text);
      const [l, r] = unifyOperands(left, this.parsePrimary());
      return { kind: 'comparison', operator: token.text as ComparisonOperator, left: l, right: r };
    }
    if (token.text === 'in') {
      this.index++;
      return { kind: 'in', operand: left, values: this.parseInList(left) };
    }
    return left;
  }

  private parseInList(operand: FilterNode): LiteralNode[] {
    this.expect('(', "'(' after 'in'");
    const values: LiteralNode[] = [];
    do {
      const token = this.peek();
      const literal = this.parseLiteral(token);
      if (!literal) throw this.error(token, "expected a literal in the 'in' list");
      this.index++;
      values.push(unifyOperands(operand, literal)[1] as LiteralNode);
    } while (this.accept(','));
    this.expect(')', "',' or ')' in the 'in' list");
    return values;
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    const literal = this.parseLiteral(token);
    if (literal) {
      this.index++;
      return literal;
    }
    if (token.kind === '(') {
      this.index++;
      this.enter(token);
      const inner = this.parseOr();
      this.expect(')', "')'");
      this.depth--;
      return inner;
    }
    if (token.kind !== 'identifier' || RESERVED.has(token.text)) throw this.error(token, 'expected an expression');
    if (this.tokens[this.index + 1]?.kind === '(') return this.parseCall(token);
    return this.parsePath();
  }

  private parseLiteral(token: Token): LiteralNode | undefined {
    switch (token.kind) {
      case 'string':
        return { kind: 'literal', type: 'Edm.String', value: token.value as string };
      case 'guid':
        return { kind: 'literal', type: 'Edm.Guid', value: token.value as string };
      case 'datetime':
        return { kind: 'literal', type: 'Edm.DateTimeOffset', value: token.value as string };
      case 'number':
        return { kind: 'literal', type: numberType(token.text, token.value as number), value: token.value as number };
      case 'identifier':
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'literal', type: 'Edm.Boolean', value: token.text === 'true' };
        }
        return token.text === 'null' ? { kind: 'literal', type: null, value: null } : undefined;
      default:
        return undefined;
    }
  }

  private parseCall(name: Token): FilterNode {
    const signature = Object.hasOwn(FUNCTIONS, name.text) ? FUNCTIONS[name.text as FilterFunctionName] : undefined;
    if (!signature) throw this.error(name, `unknown function '${name.text}'`);
    this.index += 2;
    this.enter(name);
    const args: FilterNode[] = [];
    if (this.peek().kind !== ')') {
      do args.push(this.parseOr());
      while (this.accept(','));
    }
    this.expect(')', `',' or ')' in ${name.text}()`);
    this.depth--;
    if (args.length !== signature.params.length) {
      throw this.error(name, `${name.text}() takes ${signature.params.length} argument(s), got ${args.length}`);
    }
    args.forEach((arg, i) => {
      const type = typeOfNode(arg);
      if (type !== null && type !== signature.params[i]) {
        const target = arg.kind === 'property' ? arg.path : undefined;
        const message = `Function '${name.text}' expects ${signature.params[i]} for argument ${i + 1}, but ${describeNode(arg)} is not.`;
        throw ODataError.badRequest('TypeMismatch', message, target);
      }
    });
    return { kind: 'function', name: name.text as FilterFunctionName, args, type: signature.returns };
  }

  private parsePath(): FilterNode {
    const first = this.expectIdentifier();
    const scope = this.findScope(first.text);
    const path = [first.text];
    let set = scope?.set ?? this.root;
    let segment = first;
    if (scope) {
      segment = this.nextSegment(first);
      path.push(segment.text);
    }
    const navigations: NavigationStep[] = [];
    for (;;) {
      const property = set.properties[segment.text];
      if (property !== undefined && Object.hasOwn(set.properties, segment.text)) {
        if (this.peek().kind === '/') throw this.error(this.peek(), `'${path.join('/')}' is a primitive property and has no members`);
        const type = typeof property === 'string' ? property : property.type;
        return { kind: 'property', variable: scope?.name ?? null, navigations, name: segment.text, type, path: path.join('/') };
      }
      const navigation = Object.hasOwn(set.navigations, segment.text) ? set.navigations[segment.text] : undefined;
      if (!navigation) throw unknownProperty(segment.text, set.name);
      const target = this.resolveSet(navigation.target);
      if (!target) {
        throw ODataError.badRequest('UnknownProperty', `Navigation property '${segment.text}' on type '${set.name}' leads to '${navigation.target}', which this service does not serve.`);
      }
      const step = { name: segment.text, navigation };
      if (navigation.collection) return this.parseLambda(scope?.name ?? null, navigations, step, target, path);
      if (this.peek().kind !== '/') {
        throw ODataError.badRequest(
          'TypeMismatch',
          `Navigation property '${path.join('/')}' cannot be used as a value; name one of its properties, e.g. '${path.join('/')}/${target.key}'.`,
        );
      }
      navigations.push(step);
      set = target;
      segment = this.nextSegment(segment);
      path.push(segment.text);
    }
  }

  private parseLambda(
    variable: string | null,
    navigations: NavigationStep[],
    collection: NavigationStep,
    target: EdmEntitySet,
    path: string[],
  ): FilterNode {
    const slash = this.peek();
    const quantifier = slash.kind === '/' ? this.tokens[this.index + 1] : undefined;
    if (!quantifier || (quantifier.text !== 'any' && quantifier.text !== 'all') || this.tokens[this.index + 2]?.kind !== '(') {
      throw ODataError.badRequest(
        'TypeMismatch',
        `Navigation property '${path.join('/')}' is a collection; use ${path.join('/')}/any(x: ...) or ${path.join('/')}/all(x: ...).`,
      );
    }
    this.index += 3;
    this.enter(quantifier);
    let parameter: string | null = null;
    let predicate: FilterNode | null = null;
    if (quantifier.text === 'all' || this.peek().kind !== ')') {
      const name = this.expectIdentifier();
      if (this.findScope(name.text)) throw this.error(name, `lambda variable '${name.text}' is already in use`);
      this.expect(':', `':' after the lambda variable '${name.text}'`);
      parameter = name.text;
      this.scopes.push({ name: parameter, set: target });
      predicate = this.parseOr();
      this.scopes.pop();
      requireBoolean(predicate, `The body of ${quantifier.text}()`);
    }
    this.expect(')', `')' to close ${quantifier.text}()`);
    this.depth--;
    return { kind: 'lambda', quantifier: quantifier.text as 'any' | 'all', variable, navigations, collection, parameter, predicate };
  }

  private nextSegment(after: Token): Token {
    if (!this.accept('/')) throw this.error(this.peek(), `expected '/' and a property after '${after.text}'`);
    return this.expectIdentifier();
  }

  private findScope(name: string): Scope | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i]?.name === name) return this.scopes[i];
    return undefined;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.text === word;
  }

  private expectOperand(operator: string): void {
    const token = this.peek();
    const startsOperand =
      token.kind === '(' ||
      token.kind === 'string' ||
      token.kind === 'number' ||
      token.kind === 'guid' ||
      token.kind === 'datetime' ||
      (token.kind === 'identifier' && (!RESERVED.has(token.text) || token.text === 'not'));
    if (!startsOperand) throw this.error(token, `expected ${COMPARISONS.has(operator) ? 'a literal' : 'an expression'} after '${operator}'`);
  }

  private expectIdentifier(): Token {
    const token = this.peek();
    if (token.kind !== 'identifier') throw this.error(token, 'expected a property name');
    this.index++;
    return token;
  }

  private expect(kind: TokenKind, what: string): void {
    const token = this.peek();
    if (token.kind !== kind) throw this.error(token, `expected ${what}`);
    this.index++;
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw ODataError.badRequest(
        this.option.startsWith('$filter') ? 'InvalidFilter' : 'InvalidQueryOption',
        `The ${this.option} is nested deeper than ${MAX_FILTER_DEPTH} levels (at position ${token.pos}).`,
      );
    }
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private error(token: Token, detail: string): ODataError {
    return syntaxError(this.option, token.pos, detail);
  }
}

/** A 400 UnknownProperty for a name that is not on a type. */
export function unknownProperty(name: string, type: string): ODataError {
  return ODataError.badRequest('UnknownProperty', `Could not find a property named '${name}' on type '${type}'.`, name);
}

function numberType(text: string, value: number): EdmType {
  if (/[.eE]/.test(text)) return 'Edm.Double';
  return Number.isSafeInteger(value) && Math.abs(value) <= 2147483647 ? 'Edm.Int32' : 'Edm.Int64';
}
