import type { EdmType } from '../../model/edm';
import { typeOfNode, type FilterNode, type LiteralNode } from './filter-ast';
import { ODataError } from './odata-error';

/** How two values of a type compare: numbers across Int32/Int64/Double, GUIDs case-insensitively. */
export type ValueFamily = 'string' | 'number' | 'boolean' | 'guid' | 'date';

const GUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The comparison family of an EDM type. */
export function familyOf(type: EdmType): ValueFamily {
  switch (type) {
    case 'Edm.String':
      return 'string';
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Double':
      return 'number';
    case 'Edm.Boolean':
      return 'boolean';
    case 'Edm.Guid':
      return 'guid';
    case 'Edm.DateTimeOffset':
      return 'date';
  }
}

/** How an expression is named in messages: `property 'WorkOrder/NId'`, `the Edm.Int32 value 5`. */
export function describeNode(node: FilterNode): string {
  switch (node.kind) {
    case 'property':
      return `property '${node.path}' (${node.type})`;
    case 'literal':
      return node.type === null ? 'null' : `the ${node.type} value ${literalText(node)}`;
    case 'function':
      return `the ${node.type} result of ${node.name}()`;
    default:
      return `a ${node.kind} expression (Edm.Boolean)`;
  }
}

function literalText(node: LiteralNode): string {
  return typeof node.value === 'string' && node.type === 'Edm.String' ? `'${node.value.replace(/'/g, "''")}'` : String(node.value);
}

/**
 * Checks that two operands can be compared (or that a literal can be listed in `in`), returning
 * them retyped where the service is lenient: a quoted string that is a valid GUID compares with a
 * GUID. Throws a 400 TypeMismatch naming the property otherwise.
 */
export function unifyOperands(left: FilterNode, right: FilterNode): [FilterNode, FilterNode] {
  const leftType = typeOfNode(left);
  const rightType = typeOfNode(right);
  if (leftType === null || rightType === null || familyOf(leftType) === familyOf(rightType)) return [left, right];
  if (leftType === 'Edm.Guid' && isStringLiteral(right)) return [left, toGuidLiteral(left, right)];
  if (rightType === 'Edm.Guid' && isStringLiteral(left)) return [toGuidLiteral(right, left), right];
  throw mismatch(left, right, '');
}

function isStringLiteral(node: FilterNode): node is LiteralNode {
  return node.kind === 'literal' && node.type === 'Edm.String';
}

function toGuidLiteral(guid: FilterNode, literal: LiteralNode): LiteralNode {
  const text = literal.value as string;
  if (!GUID_TEXT.test(text)) throw mismatch(guid, literal, `: '${text}' is not a GUID`);
  return { kind: 'literal', type: 'Edm.Guid', value: text.toLowerCase() };
}

function mismatch(anchor: FilterNode, other: FilterNode, detail: string): ODataError {
  const [first, second] = anchor.kind !== 'property' && other.kind === 'property' ? [other, anchor] : [anchor, other];
  const subject = describeNode(first);
  const message = `${subject.charAt(0).toUpperCase()}${subject.slice(1)} cannot be compared with ${describeNode(second)}${detail}.`;
  return ODataError.badRequest('TypeMismatch', message, first.kind === 'property' ? first.path : undefined);
}

/** Throws a 400 TypeMismatch unless `node` is Boolean; `role` says where it stands. */
export function requireBoolean(node: FilterNode, role: string): void {
  const type = typeOfNode(node);
  if (type === 'Edm.Boolean') return;
  const target = node.kind === 'property' ? node.path : undefined;
  throw ODataError.badRequest('TypeMismatch', `${role} must be a Boolean expression, but ${describeNode(node)} is not.`, target);
}
