import { COMMANDS } from '../../model/commands';
import { ENTITY_SETS } from '../../model/entity-sets';
import type { EdmEntitySet } from '../../model/edm';
import { buildMetadataXml } from './metadata';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
}

/** A tiny XML reader for the subset CSDL uses: throws on anything malformed. */
function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = tag.exec(body)) !== null) {
    consumed = tag.lastIndex;
    const [, closing, name, attributeText, selfClosing, text] = match;
    if (text !== undefined) {
      if (text.trim() !== '') throw new Error(`unexpected text '${text.trim()}'`);
      continue;
    }
    const parent = stack.at(-1) as XmlElement;
    if (closing) {
      if (parent.name !== name) throw new Error(`</${name}> closes <${parent.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of (attributeText ?? '').matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (key === undefined || key in attributes) throw new Error(`duplicate attribute ${key}`);
      attributes[key] = value ?? '';
    }
    const element: XmlElement = { name: name as string, attributes, children: [] };
    parent.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (consumed !== body.length) throw new Error(`malformed XML at ${consumed}: ${body.slice(consumed, consumed + 40)}`);
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  return root.children[0] as XmlElement;
}

function all(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((child) => all(child, name))];
}

const APPS = [...new Set(ENTITY_SETS.map((set) => set.app))];

describe('buildMetadataXml', () => {
  it.each(APPS)('builds well-formed CSDL declaring every entity set, property and navigation of %s', (app) => {
    const root = parseXml(buildMetadataXml(app, ENTITY_SETS, COMMANDS));
    expect(root).toMatchObject({ name: 'edmx:Edmx', attributes: { Version: '4.0' } });
    const schema = all(root, 'Schema')[0] as XmlElement;
    expect(schema.attributes.Namespace).toBe(`Opcenter.${app}`);
    const types = new Map(all(root, 'EntityType').map((type) => [type.attributes.Name, type]));
    const sets = new Map(all(root, 'EntitySet').map((set) => [set.attributes.Name, set]));
    const served = ENTITY_SETS.filter((set) => set.app === app);
    expect([...sets.keys()]).toEqual(served.map((set) => set.name));
    for (const set of served) {
      expect(sets.get(set.name)?.attributes.EntityType).toBe(`Opcenter.${app}.${set.name}`);
      const type = types.get(set.name) as XmlElement;
      expect(all(type, 'PropertyRef').map((ref) => ref.attributes.Name)).toEqual([set.key]);
      expect(all(type, 'Property').map((property) => property.attributes.Name)).toEqual(Object.keys(set.properties));
      expect(all(type, 'NavigationProperty').map((nav) => nav.attributes.Name)).toEqual(Object.keys(set.navigations));
      for (const nav of all(type, 'NavigationProperty')) {
        const navigations: EdmEntitySet['navigations'] = set.navigations;
        const target = navigations[nav.attributes.Name as string]?.target as string;
        expect(types.has(target)).toBe(true);
      }
    }
    const commands = COMMANDS.filter((command) => command.app === app).map((command) => command.name);
    expect(all(root, 'Action').map((action) => action.attributes.Name)).toEqual(commands);
    expect(all(root, 'ActionImport').map((action) => action.attributes.Name)).toEqual(commands);
  });

  it('marks non-nullable properties and types collection navigations', () => {
    const root = parseXml(buildMetadataXml('AppU4DM', ENTITY_SETS, COMMANDS));
    const workOrder = all(root, 'EntityType').find((type) => type.attributes.Name === 'WorkOrder') as XmlElement;
    const property = (name: string) => all(workOrder, 'Property').find((p) => p.attributes.Name === name)?.attributes;
    expect(property('NId')).toEqual({ Name: 'NId', Type: 'Edm.String', Nullable: 'false' });
    expect(property('ActualEndTime')).toEqual({ Name: 'ActualEndTime', Type: 'Edm.DateTimeOffset' });
    const navs = Object.fromEntries(all(workOrder, 'NavigationProperty').map((nav) => [nav.attributes.Name, nav.attributes.Type]));
    expect(navs).toEqual({
      Operations: 'Collection(Opcenter.AppU4DM.WorkOrderOperation)',
      MaterialTrackingUnits: 'Collection(Opcenter.AppU4DM.MaterialTrackingUnit)',
      FinalMaterial: 'Opcenter.AppU4DM.Material',
      Line: 'Opcenter.AppU4DM.Equipment',
    });
    const bindings = all(root, 'EntitySet').find((set) => set.attributes.Name === 'WorkOrder')?.children.map((child) => child.attributes.Path);
    expect(bindings).toEqual(['Operations', 'MaterialTrackingUnits', 'Line']);
  });

  it('escapes names and descriptions that contain XML characters', () => {
    const xml = buildMetadataXml('A&B', [{ ...ENTITY_SETS[0], app: 'A&B', name: 'Odd<"Set">' }], [
      { name: 'Do', app: 'A&B', description: '', parameters: { "It's": { type: 'Edm.String', required: true } }, returns: {} },
    ]);
    const root = parseXml(xml);
    expect(all(root, 'EntitySet')[0]?.attributes.Name).toBe('Odd&lt;&quot;Set&quot;&gt;');
    expect(xml).toContain('Namespace="Opcenter.A&amp;B"');
  });
});
