/**
 * The plant hierarchy: SMT lines with their work centers and machines, the test cell and the
 * box-build cell, as Opcenter Equipment rows.
 */
import type { EquipmentRow } from '../model/entity-sets';
import { guidOf, hashString, rngFor } from './prng';

/** One SMT line and the machines on it. */
export interface LineLayout {
  readonly index: number;
  readonly nid: string;
  readonly printer: string;
  readonly spi: string;
  readonly placers: readonly string[];
  readonly oven: string;
  readonly aoi: string;
  /** Print-process spread of this line's printer relative to the best one (1 = best). */
  readonly printSpread: number;
}

/** The plant's lines and cells. */
export interface PlantLayout {
  readonly lines: readonly LineLayout[];
  readonly ictStations: readonly string[];
  readonly fctStations: readonly string[];
  readonly boxStation: string;
  readonly equipment: readonly EquipmentRow[];
}

const PURPOSE = hashString('equipment');

const PRINTERS = [
  ['ASM', 'DEK TQL'],
  ['ITW EAE', 'MPM Momentum II'],
] as const;
const PLACERS = [
  ['ASM', 'SIPLACE TX2i'],
  ['Fuji', 'NXT III M6'],
] as const;
const OVENS = [
  ['Heller', '1936 MK7'],
  ['Rehm', 'VisionXP+ 7200'],
] as const;
const AOIS = [
  ['Koh Young', 'Zenith 2'],
  ['Mirtec', 'MV-6 OMNI'],
] as const;

/** Builds the plant layout for `lineCount` SMT lines. */
export function createLayout(seed: number, lineCount: number): PlantLayout {
  const rows: EquipmentRow[] = [];
  const ids = new Map<string, string>();
  const add = (
    nid: string,
    name: string,
    level: 'Line' | 'WorkCenter' | 'Machine',
    type: string,
    parent: string | null,
    line: string | null,
    vendor: string | null = null,
    model: string | null = null,
  ): void => {
    const id = guidOf(seed, PURPOSE, rows.length);
    ids.set(nid, id);
    rows.push({
      Id: id,
      NId: nid,
      Name: name,
      Description: `${name} (${level.toLowerCase()})`,
      Level: level,
      EquipmentType: type,
      ParentId: parent === null ? null : (ids.get(parent) ?? null),
      ParentNId: parent,
      LineNId: line,
      Vendor: vendor,
      Model: model,
      Status: 'Available',
    });
  };

  const lines: LineLayout[] = [];
  for (let i = 0; i < lineCount; i++) {
    const rng = rngFor(seed, PURPOSE, 1000 + i);
    const l = `L${i + 1}`;
    const flavour = i % 2;
    const placerCount = i % 3 === 1 ? 2 : 3;
    add(l, `SMT line ${i + 1}`, 'Line', 'SmtLine', null, l);
    add(`${l}-PRINT`, `${l} print and SPI`, 'WorkCenter', 'PrintWorkCenter', l, l);
    const [pv, pm] = PRINTERS[flavour] as readonly [string, string];
    add(`${l}-PRN`, `${l} screen printer`, 'Machine', 'ScreenPrinter', `${l}-PRINT`, l, pv, pm);
    add(`${l}-SPI`, `${l} solder paste inspection`, 'Machine', 'SPI', `${l}-PRINT`, l, 'Koh Young', flavour ? 'aSPIre 3' : 'KY8030-3');
    add(`${l}-PLACE`, `${l} placement`, 'WorkCenter', 'PlacementWorkCenter', l, l);
    const placers: string[] = [];
    for (let k = 1; k <= placerCount; k++) {
      const [v, m] = PLACERS[(flavour + (k === placerCount ? 1 : 0)) % 2] as readonly [string, string];
      add(`${l}-PP${k}`, `${l} placement machine ${k}`, 'Machine', 'PlacementMachine', `${l}-PLACE`, l, v, m);
      placers.push(`${l}-PP${k}`);
    }
    add(`${l}-REFLOW`, `${l} reflow`, 'WorkCenter', 'ReflowWorkCenter', l, l);
    const [ov, om] = OVENS[flavour] as readonly [string, string];
    add(`${l}-OVEN`, `${l} reflow oven`, 'Machine', 'ReflowOven', `${l}-REFLOW`, l, ov, om);
    add(`${l}-AOI`, `${l} AOI`, 'WorkCenter', 'AoiWorkCenter', l, l);
    const [av, am] = AOIS[flavour] as readonly [string, string];
    add(`${l}-AOI1`, `${l} post-reflow AOI`, 'Machine', 'AOI', `${l}-AOI`, l, av, am);
    lines.push({
      index: i,
      nid: l,
      printer: `${l}-PRN`,
      spi: `${l}-SPI`,
      placers,
      oven: `${l}-OVEN`,
      aoi: `${l}-AOI1`,
      printSpread: i === 1 ? 1.45 : rng.range(0.9, 1.2),
    });
  }

  add('TEST', 'Test cell', 'Line', 'TestCell', null, 'TEST');
  add('TEST-ICT', 'In-circuit test', 'WorkCenter', 'IctWorkCenter', 'TEST', 'TEST');
  const ictStations = ['TEST-ICT1', 'TEST-ICT2'];
  for (const s of ictStations) add(s, `ICT station ${s.slice(-1)}`, 'Machine', 'ICT', 'TEST-ICT', 'TEST', 'Keysight', 'i3070 Series 6');
  add('TEST-FCT', 'Functional test', 'WorkCenter', 'FctWorkCenter', 'TEST', 'TEST');
  const fctStations = lineCount > 2 ? ['TEST-FCT1', 'TEST-FCT2', 'TEST-FCT3'] : ['TEST-FCT1', 'TEST-FCT2'];
  for (const s of fctStations) add(s, `FCT station ${s.slice(-1)}`, 'Machine', 'FCT', 'TEST-FCT', 'TEST', 'National Instruments', 'PXIe FCT rack');

  add('BOX', 'Box-build cell', 'Line', 'BoxBuildCell', null, 'BOX');
  add('BOX-ASSY', 'Box assembly', 'WorkCenter', 'AssemblyWorkCenter', 'BOX', 'BOX');
  add('BOX-ASSY1', 'Box assembly bench 1', 'Machine', 'AssemblyStation', 'BOX-ASSY', 'BOX', 'Bosch Rexroth', 'ESD workbench');

  return { lines, ictStations, fctStations, boxStation: 'BOX-ASSY1', equipment: rows };
}
