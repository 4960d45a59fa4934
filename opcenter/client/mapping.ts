import { readFileSync } from 'node:fs';
import { z } from 'zod';
import defaultMappingJson from './mapping.json';

// Names end up in URL paths and query strings unquoted, so only plain identifiers are accepted.
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier');

const navigationSchema = z.object({
  property: identifier,
  concept: identifier.optional(),
});

const conceptSchema = z.object({
  app: identifier,
  entitySet: identifier,
  key: identifier,
  naturalKey: identifier.optional(),
  guidFields: z.array(identifier).default([]),
  fields: z.record(identifier, identifier),
  navigations: z.record(identifier, navigationSchema).default({}),
});

const commandSchema = z.object({
  app: identifier,
  command: identifier,
  parameters: z.record(identifier, identifier).default({}),
  returns: z.record(identifier, identifier).default({}),
});

const mappingSchema = z
  .object({
    concepts: z.record(identifier, conceptSchema),
    commands: z.record(identifier, commandSchema).default({}),
  })
  .superRefine((mapping, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const [name, concept] of Object.entries(mapping.concepts)) {
      const at = ['concepts', name];
      for (const field of [concept.key, concept.naturalKey, ...concept.guidFields]) {
        if (field !== undefined && !(field in concept.fields)) problem(at, `'${field}' is not one of its fields`);
      }
      checkOneToOne(concept.fields, (message) => problem([...at, 'fields'], message));
      const properties = new Set(Object.values(concept.fields));
      for (const [navName, nav] of Object.entries(concept.navigations)) {
        if (navName in concept.fields) problem([...at, 'navigations', navName], 'is also a field name');
        if (properties.has(nav.property)) problem([...at, 'navigations', navName], `'${nav.property}' is also a field`);
        if (nav.concept !== undefined && !(nav.concept in mapping.concepts)) {
          problem([...at, 'navigations', navName], `unknown concept '${nav.concept}'`);
        }
      }
      checkOneToOne(
        Object.fromEntries(Object.entries(concept.navigations).map(([navName, nav]) => [navName, nav.property])),
        (message) => problem([...at, 'navigations'], message),
      );
    }
    for (const [name, command] of Object.entries(mapping.commands)) {
      checkOneToOne(command.parameters, (message) => problem(['commands', name, 'parameters'], message));
      checkOneToOne(command.returns, (message) => problem(['commands', name, 'returns'], message));
    }
  });

function checkOneToOne(names: Record<string, string>, report: (message: string) => void): void {
  const seen = new Map<string, string>();
  for (const [logical, property] of Object.entries(names)) {
    const other = seen.get(property);
    if (other !== undefined) report(`'${other}' and '${logical}' both map to '${property}'`);
    seen.set(property, logical);
  }
}

/** The mapping file as written: logical names on the left, Opcenter names on the right. */
export type OpcenterMappingFile = z.input<typeof mappingSchema>;

/** A navigation of a concept: the Opcenter navigation property and the concept it leads to. */
export interface NavigationMapping {
  readonly name: string;
  readonly property: string;
  /** The target concept, when the mapping knows it; rows reached through it are translated with it. */
  readonly concept?: string;
}

/** One concept (an Opcenter entity set under logical names), with lookups both ways. */
export interface ConceptMapping {
  readonly name: string;
  readonly app: string;
  readonly entitySet: string;
  /** Logical name of the key property (`/{EntitySet}({key})`). */
  readonly key: string;
  /** Logical name of the natural key (NId, serial number), if the concept has one. */
  readonly naturalKey?: string;
  /** Logical names of the Edm.Guid properties: their values travel as GUID literals. */
  readonly guidFields: ReadonlySet<string>;
  /** Logical name to Opcenter property name. */
  readonly fields: ReadonlyMap<string, string>;
  /** Opcenter property name to logical name. */
  readonly properties: ReadonlyMap<string, string>;
  /** Logical navigation name to navigation. */
  readonly navigations: ReadonlyMap<string, NavigationMapping>;
  /** Opcenter navigation property to navigation. */
  readonly navigationsByProperty: ReadonlyMap<string, NavigationMapping>;
}

/** One command: the Opcenter app and command name, and its parameter and return names. */
export interface CommandMapping {
  readonly name: string;
  readonly app: string;
  readonly command: string;
  /** Logical parameter name to Opcenter parameter name; unlisted parameters pass unchanged. */
  readonly parameters: ReadonlyMap<string, string>;
  /** Opcenter return property to logical name; unlisted properties pass unchanged. */
  readonly returns: ReadonlyMap<string, string>;
}

/** A validated mapping, ready for the client. */
export interface OpcenterMapping {
  readonly concepts: ReadonlyMap<string, ConceptMapping>;
  readonly commands: ReadonlyMap<string, CommandMapping>;
}

/** Validates a parsed mapping file; throws an Error that names every problem and `source`. */
export function parseMapping(json: unknown, source = 'mapping'): OpcenterMapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid Opcenter mapping (${source}):\n  ${problems.join('\n  ')}`);
  }
  const concepts = new Map<string, ConceptMapping>();
  for (const [name, concept] of Object.entries(parsed.data.concepts)) {
    const navigations = Object.entries(concept.navigations).map(([navName, nav]) => ({ name: navName, ...nav }));
    concepts.set(name, {
      name,
      app: concept.app,
      entitySet: concept.entitySet,
      key: concept.key,
      naturalKey: concept.naturalKey,
      guidFields: new Set(concept.guidFields),
      fields: new Map(Object.entries(concept.fields)),
      properties: new Map(Object.entries(concept.fields).map(([logical, property]) => [property, logical])),
      navigations: new Map(navigations.map((nav) => [nav.name, nav])),
      navigationsByProperty: new Map(navigations.map((nav) => [nav.property, nav])),
    });
  }
  const commands = new Map<string, CommandMapping>();
  for (const [name, command] of Object.entries(parsed.data.commands)) {
    commands.set(name, {
      name,
      app: command.app,
      command: command.command,
      parameters: new Map(Object.entries(command.parameters)),
      returns: new Map(Object.entries(command.returns).map(([logical, property]) => [property, logical])),
    });
  }
  return { concepts, commands };
}

/**
 * Loads and validates a mapping file. Default: `mapping.json` beside this module, which names
 * everything as the emulator (and a stock Opcenter) does; a plant with other names passes its own file.
 */
export function loadMapping(path?: string): OpcenterMapping {
  if (path === undefined) return parseMapping(defaultMappingJson, 'opcenter/client/mapping.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read Opcenter mapping ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseMapping(json, path);
}
