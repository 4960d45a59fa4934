import type { CommandDefinition } from '../../model/commands';
import { edmTypeOf, isNullable, type EdmEntitySet } from '../../model/edm';
import { findEntitySet } from '../../model/entity-sets';

/**
 * Builds the CSDL `$metadata` document (OData v4, namespace `Opcenter.<app>`) of one application:
 * an EntityType per entity set of `app` (and for each foreign navigation target, declared without
 * its own navigations), an EntityContainer with EntitySets and NavigationPropertyBindings, and an
 * unbound Action plus ActionImport per command, taking one `command` parameter.
 */
export function buildMetadataXml(app: string, sets: readonly EdmEntitySet[], commands: readonly CommandDefinition[]): string {
  const ns = `Opcenter.${app}`;
  const served = sets.filter((set) => set.app === app);
  const servedNames = new Set(served.map((set) => set.name));
  const resolve = (name: string) => sets.find((set) => set.name === name) ?? findEntitySet(name);
  const foreign = new Map<string, EdmEntitySet>();
  for (const set of served) {
    for (const navigation of Object.values(set.navigations)) {
      const target = resolve(navigation.target);
      if (target && !servedNames.has(target.name)) foreign.set(target.name, target);
    }
  }
  const own = commands.filter((command) => command.app === app);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '<edmx:DataServices>',
    `<Schema Namespace="${attr(ns)}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
    ...served.flatMap((set) => entityType(set, ns, (name) => resolve(name) !== undefined)),
    ...[...foreign.values()].flatMap((set) => entityType(set, ns, () => false)),
    ...(own.length > 0 ? complexType('CommandError', { ErrorCode: 'Edm.String', ErrorMessage: 'Edm.String' }) : []),
    ...own.flatMap((command) => action(command, ns)),
    `<EntityContainer Name="${attr(app)}Container">`,
    ...served.flatMap((set) => entitySet(set, ns, servedNames)),
    ...own.map((command) => `<ActionImport Name="${attr(command.name)}" Action="${attr(`${ns}.${command.name}`)}"/>`),
    '</EntityContainer>',
    '</Schema>',
    '</edmx:DataServices>',
    '</edmx:Edmx>',
  ];
  return `${lines.join('\n')}\n`;
}

function entityType(set: EdmEntitySet, ns: string, declared: (name: string) => boolean): string[] {
  const properties = Object.entries(set.properties).map(
    ([name, property]) =>
      `<Property Name="${attr(name)}" Type="${edmTypeOf(property)}"${isNullable(property) && name !== set.key ? '' : ' Nullable="false"'}/>`,
  );
  const navigations = Object.entries(set.navigations)
    .filter(([, navigation]) => declared(navigation.target))
    .map(([name, navigation]) => {
      const type = navigation.collection ? `Collection(${ns}.${navigation.target})` : `${ns}.${navigation.target}`;
      return `<NavigationProperty Name="${attr(name)}" Type="${attr(type)}"/>`;
    });
  return [
    `<EntityType Name="${attr(set.name)}">`,
    `<Key><PropertyRef Name="${attr(set.key)}"/></Key>`,
    ...properties,
    ...navigations,
    '</EntityType>',
  ];
}

function entitySet(set: EdmEntitySet, ns: string, servedNames: ReadonlySet<string>): string[] {
  const bindings = Object.entries(set.navigations)
    .filter(([, navigation]) => servedNames.has(navigation.target))
    .map(([name, navigation]) => `<NavigationPropertyBinding Path="${attr(name)}" Target="${attr(navigation.target)}"/>`);
  return [`<EntitySet Name="${attr(set.name)}" EntityType="${attr(`${ns}.${set.name}`)}">`, ...bindings, '</EntitySet>'];
}

function action(command: CommandDefinition, ns: string): string[] {
  const parameters = Object.fromEntries(Object.entries(command.parameters).map(([name, p]) => [name, p.type]));
  const required = new Set(Object.entries(command.parameters).filter(([, p]) => p.required).map(([name]) => name));
  return [
    ...complexType(`${command.name}Parameters`, parameters, required),
    ...complexType(`${command.name}Response`, { Succeeded: 'Edm.Boolean', ...command.returns }, new Set(['Succeeded']), [
      `<Property Name="Error" Type="${attr(`${ns}.CommandError`)}"/>`,
    ]),
    `<Action Name="${attr(command.name)}" IsBound="false">`,
    `<Parameter Name="command" Type="${attr(`${ns}.${command.name}Parameters`)}" Nullable="false"/>`,
    `<ReturnType Type="${attr(`${ns}.${command.name}Response`)}" Nullable="false"/>`,
    '</Action>',
  ];
}

function complexType(name: string, properties: Readonly<Record<string, string>>, required = new Set<string>(), extra: string[] = []): string[] {
  return [
    `<ComplexType Name="${attr(name)}">`,
    ...Object.entries(properties).map(
      ([property, type]) => `<Property Name="${attr(property)}" Type="${attr(type)}"${required.has(property) ? ' Nullable="false"' : ''}/>`,
    ),
    ...extra,
    '</ComplexType>',
  ];
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
