import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../model/commands';
import { edmTypeOf } from '../model/edm';
import { ENTITY_SETS } from '../model/entity-sets';
import { loadMapping, parseMapping, type OpcenterMappingFile } from './mapping';

const minimal = (): OpcenterMappingFile => ({
  concepts: {
    board: {
      app: 'AppU4DM',
      entitySet: 'MaterialTrackingUnit',
      key: 'guid',
      naturalKey: 'serialNumber',
      guidFields: ['guid'],
      fields: { guid: 'Id', serialNumber: 'NId' },
    },
  },
});

describe('the default mapping', () => {
  const mapping = loadMapping();
  const concepts = [...mapping.concepts.values()];

  it('maps every entity set the emulator serves to exactly one concept, in its app', () => {
    for (const set of ENTITY_SETS) {
      const matches = concepts.filter((c) => c.entitySet === set.name);
      expect(matches.map((c) => c.app)).toEqual([set.app]);
    }
    expect(concepts).toHaveLength(ENTITY_SETS.length);
  });

  it('maps every property once, marks exactly the Edm.Guid ones as guidFields and keys on the set key', () => {
    for (const set of ENTITY_SETS) {
      const concept = concepts.find((c) => c.entitySet === set.name)!;
      expect([...concept.fields.values()].sort()).toEqual(Object.keys(set.properties).sort());
      const guids = Object.entries(set.properties)
        .filter(([, type]) => edmTypeOf(type) === 'Edm.Guid')
        .map(([property]) => concept.properties.get(property));
      expect([...concept.guidFields].sort()).toEqual(guids.sort());
      expect(concept.fields.get(concept.key)).toBe(set.key);
      for (const logical of concept.fields.keys()) expect(logical).toMatch(/^[a-z][A-Za-z0-9]*$/);
    }
  });

  it('maps every navigation to the concept of its target set', () => {
    for (const set of ENTITY_SETS) {
      const concept = concepts.find((c) => c.entitySet === set.name)!;
      for (const [property, nav] of Object.entries(set.navigations)) {
        const mapped = concept.navigationsByProperty.get(property);
        expect(mapped).toBeDefined();
        expect(mapping.concepts.get(mapped!.concept!)?.entitySet).toBe(nav.target);
      }
    }
  });

  it('uses the names the rest of the project relies on', () => {
    const board = mapping.concepts.get('board')!;
    expect(board).toMatchObject({ app: 'AppU4DM', entitySet: 'MaterialTrackingUnit', naturalKey: 'serialNumber' });
    expect(board.fields.get('serialNumber')).toBe('NId');
    expect(board.fields.get('workOrderId')).toBe('WorkOrderNId');
    expect(mapping.concepts.get('materialLot')).toMatchObject({ app: 'Material', entitySet: 'MaterialLot' });
    expect(mapping.concepts.get('consumption')).toMatchObject({ app: 'Genealogy', entitySet: 'MaterialConsumption' });
    expect(mapping.concepts.get('spiPad')?.entitySet).toBe('SpiPadMeasurement');
  });

  it('maps each command to an Opcenter command and its parameters', () => {
    const expected: Record<string, string> = {
      createNonConformance: 'Quality/CreateNonConformance',
      setNonConformanceStatus: 'Quality/SetNonConformanceStatus',
      addAuditTrailEntry: 'AuditTrail/AddAuditTrailEntry',
      holdUnit: 'AppU4DM/HoldMaterialTrackingUnit',
      releaseUnit: 'AppU4DM/ReleaseMaterialTrackingUnit',
      addElectronicSignature: 'AuditTrail/AddElectronicSignature',
    };
    for (const [name, target] of Object.entries(expected)) {
      const command = mapping.commands.get(name)!;
      expect(`${command.app}/${command.command}`).toBe(target);
      const definition = COMMANDS.find((c) => c.app === command.app && c.name === command.command)!;
      expect([...command.parameters.values()].sort()).toEqual(Object.keys(definition.parameters).sort());
    }
    expect(mapping.commands.size).toBe(COMMANDS.length);
  });
});

describe('loadMapping', () => {
  it("loads a plant's own file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'opcenter-mapping-'));
    const file = join(dir, 'plant.json');
    const own = minimal();
    own.concepts.board!.fields = { guid: 'Id', serialNumber: 'SerialNo' };
    writeFileSync(file, JSON.stringify(own));
    expect(loadMapping(file).concepts.get('board')?.fields.get('serialNumber')).toBe('SerialNo');
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadMapping('/nonexistent/mapping.json')).toThrow(/Cannot read Opcenter mapping \/nonexistent\/mapping.json/);
  });
});

describe('parseMapping', () => {
  it('rejects names that are not plain identifiers, since they travel unquoted in URLs', () => {
    const bad = minimal();
    bad.concepts.board!.entitySet = "Unit')/x";
    expect(() => parseMapping(bad, 'plant.json')).toThrow(/plant\.json[\s\S]*concepts\.board\.entitySet/);
  });

  it('rejects keys that are not fields, two names for one property and unknown navigation targets', () => {
    const bad = minimal();
    bad.concepts.board = {
      ...bad.concepts.board!,
      naturalKey: 'serial',
      fields: { guid: 'Id', serialNumber: 'NId', nid: 'NId' },
      navigations: { workOrder: { property: 'WorkOrder', concept: 'productionOrder' } },
    };
    let message = '';
    try {
      parseMapping(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/'serial' is not one of its fields/);
    expect(message).toMatch(/'serialNumber' and 'nid' both map to 'NId'/);
    expect(message).toMatch(/unknown concept 'productionOrder'/);
  });
});
