/** The roles a user can hold, as DESIGN.md names them. */
export const ROLES = ['OPERATOR', 'PROCESS_ENGINEER', 'QUALITY_ENGINEER', 'AGENT', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** What a scope allows: read any field, or run mutations of one kind. */
export type Scope = 'read' | 'write:execution' | 'write:quality' | 'write:test' | 'write:genealogy' | 'admin';

/** Scopes granted to each role. `AGENT` is read-only: it can run no mutation. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  OPERATOR: ['read', 'write:execution'],
  PROCESS_ENGINEER: ['read', 'write:execution', 'write:test'],
  QUALITY_ENGINEER: ['read', 'write:quality', 'write:test'],
  AGENT: ['read'],
  ADMIN: ['read', 'write:execution', 'write:quality', 'write:test', 'write:genealogy', 'admin'],
};

/** The scopes of a set of roles, without repeats. */
export function scopesOf(roles: readonly Role[]): Scope[] {
  return [...new Set(roles.flatMap((role) => ROLE_SCOPES[role]))];
}

/** Whether a string is a known role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
