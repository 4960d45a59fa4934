import { createPlant, type BoardTruth, type Plant } from './index';

type Row = Record<string, unknown>;

describe('defect mechanisms', () => {
  let plant: Plant;
  let truths: BoardTruth[];
  const bySerial = new Map<string, BoardTruth>();

  beforeAll(() => {
    plant = createPlant({ seed: 42, scale: 'small' });
    truths = [...plant.allGroundTruth()];
    for (const t of truths) bySerial.set(t.serialNumber, t);
  });

  const defectsOf = (mechanism: string) => truths.flatMap((t) => t.defects.filter((d) => d.mechanism === mechanism).map((d) => ({ truth: t, defect: d })));

  it('shows every mechanism at small scale', () => {
    const seen = new Set(truths.flatMap((t) => t.defects.map((d) => d.mechanism)));
    for (const m of ['StencilClogging', 'ExcessPaste', 'PrinterDrift', 'LotOutOfTolerance', 'FixtureWear', 'FirmwareMismatch', 'FeederNozzle', 'MoistureFloorLife', 'Random']) {
      expect(seen).toContain(m);
    }
  });

  it('yields a first-pass yield in a plausible band', () => {
    const boards = truths.filter((t) => !t.serialNumber.startsWith('EMC'));
    const fpy = boards.filter((t) => t.firstPassYield).length / boards.length;
    expect(fpy).toBeGreaterThan(0.85);
    expect(fpy).toBeLessThan(0.98);
  });

  it('loses volume on small-area-ratio apertures as prints since the last wipe grow', () => {
    const sums = new Map<number, { small: number; n: number; large: number; m: number }>();
    for (const spi of plant.rows('SpiInspection').slice(0, 400)) {
      const psw = spi.PrintsSinceWipe as number;
      const acc = sums.get(psw) ?? { small: 0, n: 0, large: 0, m: 0 };
      for (const pad of plant.generate('SpiPadMeasurement', 'SpiInspectionId', spi.Id)) {
        const ar = pad.ApertureAreaRatio as number;
        if (ar < 0.62) {
          acc.small += pad.VolumePct as number;
          acc.n++;
        } else if (ar > 1) {
          acc.large += pad.VolumePct as number;
          acc.m++;
        }
      }
      sums.set(psw, acc);
    }
    const mean = (lo: number, hi: number, key: 'small' | 'large') => {
      let total = 0;
      let count = 0;
      for (const [psw, acc] of sums) {
        if (psw < lo || psw > hi) continue;
        total += acc[key];
        count += key === 'small' ? acc.n : acc.m;
      }
      return total / count;
    };
    expect(mean(1, 2, 'small') - mean(6, 10, 'small')).toBeGreaterThan(3);
    expect(Math.abs(mean(1, 2, 'large') - mean(6, 10, 'large'))).toBeLessThan(2);
    for (const { defect } of defectsOf('StencilClogging')) expect(['InsufficientSolder', 'Open']).toContain(defect.defectType);
  });

  it('bridges fine-pitch pads under excess paste and printer drift', () => {
    for (const mechanism of ['ExcessPaste', 'PrinterDrift']) {
      const found = defectsOf(mechanism);
      expect(found.length).toBeGreaterThan(0);
      const pitches = found.map(({ truth, defect }) => {
        const pad = plant.generate('SpiPadMeasurement', 'SerialNumber', truth.serialNumber).find((p) => p.PadNId === defect.padNId);
        return pad?.PitchUm as number;
      });
      expect(Math.max(...pitches)).toBeLessThanOrEqual(800);
    }
    const excess = defectsOf('ExcessPaste').map(({ truth, defect }) => plant.generate('SpiPadMeasurement', 'SerialNumber', truth.serialNumber).find((p) => p.PadNId === defect.padNId));
    const meanVolume = excess.reduce((s, p) => s + (p?.VolumePct as number), 0) / excess.length;
    expect(meanVolume).toBeGreaterThan(115);
  });

  it('fails ICT on the reference designators fed from the out-of-tolerance lot far more than on others', () => {
    const oot = defectsOf('LotOutOfTolerance');
    expect(oot.length).toBeGreaterThan(0);
    const first = oot[0] as (typeof oot)[number];
    const placement = plant.generate('PlacementRecord', 'SerialNumber', first.truth.serialNumber).find((p) => p.ReferenceDesignator === first.defect.referenceDesignator);
    const badLot = placement?.MaterialLotNId;
    const part = placement?.MaterialNId;
    const counts = { bad: [0, 0] as [number, number], good: [0, 0] as [number, number] };
    const runs = plant.rows('TestRun').filter((r) => r.TestType === 'ICT' && r.Attempt === 1 && String(r.SerialNumber).startsWith('GWM'));
    for (const run of runs) {
      const steps = plant.generate('TestStep', 'TestRunId', run.Id);
      const placements = new Map(plant.generate('PlacementRecord', 'SerialNumber', run.SerialNumber).map((p) => [p.ReferenceDesignator, p]));
      for (const step of steps) {
        const p = placements.get(step.ReferenceDesignator as string);
        if (!p || p.MaterialNId !== part) continue;
        const c = p.MaterialLotNId === badLot ? counts.bad : counts.good;
        c[0]++;
        if (step.Result === 'Fail') c[1]++;
      }
    }
    const badRate = counts.bad[1] / counts.bad[0];
    const goodRate = counts.good[1] / Math.max(1, counts.good[0]);
    expect(badRate).toBeGreaterThan(0.005);
    expect(badRate).toBeGreaterThan(10 * goodRate);
    for (const { defect } of oot) expect(defect.visibleToSpi).toBe(false);
  });

  it('puts fixture-wear contact failures on one fixture only, and the board passes on retest elsewhere', () => {
    const worn = defectsOf('FixtureWear');
    expect(worn.length).toBeGreaterThan(0);
    const runs = plant.rows('TestRun');
    const fixtures = new Set<unknown>();
    for (const { truth } of worn) {
      const mine = runs.filter((r) => r.SerialNumber === truth.serialNumber && r.TestType === 'ICT');
      const first = mine.find((r) => r.Attempt === 1);
      if (!first) continue; // still in process at the end of history
      const retest = mine.find((r) => r.Attempt === 2);
      fixtures.add(first.FixtureNId);
      expect(first.Result).toBe('Fail');
      if (retest && truth.defects.every((d) => d.detectedBy !== 'ICT' || d.defectType === 'FixtureContact')) {
        expect(retest.FixtureNId).not.toBe(first.FixtureNId);
        expect(retest.Result).toBe('Pass');
      }
    }
    expect(fixtures.size).toBe(1);
  });

  it('fails boot and CRC steps on an FCT station running stale firmware, and the board passes elsewhere', () => {
    const firmware = defectsOf('FirmwareMismatch');
    expect(firmware.length).toBeGreaterThan(0);
    const runs = plant.rows('TestRun');
    for (const { truth } of firmware) {
      const mine = runs.filter((r) => r.SerialNumber === truth.serialNumber && r.TestType === 'FCT');
      const first = mine.find((r) => r.Attempt === 1);
      if (!first) continue; // still in process at the end of history
      expect(first.Result).toBe('Fail');
      const failed = plant.generate('TestStep', 'TestRunId', first.Id).filter((s) => s.Result === 'Fail').map((s) => s.Name);
      expect(failed.some((n) => /Firmware CRC|[Bb]oot/.test(String(n)))).toBe(true);
      const retest = mine.find((r) => r.Attempt === 2);
      if (retest) {
        expect(retest.EquipmentNId).not.toBe(first.EquipmentNId);
        expect(retest.FirmwareVersion).not.toBe(first.FirmwareVersion);
      }
    }
  });

  it('misses and misplaces parts fed from a troubled feeder slot, seen by AOI', () => {
    const feeder = defectsOf('FeederNozzle');
    expect(feeder.length).toBeGreaterThan(0);
    const slotOf = (serial: string, refdes: string) => {
      const p = plant.generate('PlacementRecord', 'SerialNumber', serial).find((x) => x.ReferenceDesignator === refdes) as Row;
      return { key: `${String(p.EquipmentNId)}#${String(p.FeederSlot)}`, at: Date.parse(String(p.PlacedOn)) };
    };
    const slots = new Map<string, number[]>();
    let seenByAoi = 0;
    for (const { truth, defect } of feeder) {
      expect(['Missing', 'Misaligned']).toContain(defect.defectType);
      const { key, at } = slotOf(truth.serialNumber, defect.referenceDesignator);
      slots.set(key, [...(slots.get(key) ?? []), at]);
      const aoi = plant.generate('AoiComponentResult', 'SerialNumber', truth.serialNumber).find((x) => x.ReferenceDesignator === defect.referenceDesignator);
      if (aoi?.Result === 'Fail') seenByAoi++;
    }
    expect(seenByAoi / feeder.length).toBeGreaterThan(0.8);
    const [topKey, times] = [...slots.entries()].sort((a, b) => b[1].length - a[1].length)[0] as [string, number[]];
    const from = Math.min(...times);
    const to = Math.max(...times);
    const rate = { slot: [0, 0] as [number, number], other: [0, 0] as [number, number] };
    const units = plant.rows('MaterialTrackingUnit').filter((u) => u.LineNId === topKey.split('-')[0] && u.UnitType === 'Board');
    for (const unit of units) {
      const placements = plant.generate('PlacementRecord', 'SerialNumber', unit.NId);
      const at = Date.parse(String(placements[0]?.PlacedOn));
      if (at < from - 60_000 || at > to + 60_000) continue;
      const bad = new Set(bySerial.get(unit.NId as string)?.defects.filter((d) => d.mechanism === 'FeederNozzle').map((d) => d.referenceDesignator));
      for (const p of placements) {
        const r = `${String(p.EquipmentNId)}#${String(p.FeederSlot)}` === topKey ? rate.slot : rate.other;
        r[0]++;
        if (bad.has(p.ReferenceDesignator as string)) r[1]++;
      }
    }
    const slotRate = rate.slot[1] / rate.slot[0];
    const otherRate = rate.other[1] / Math.max(1, rate.other[0]);
    expect(slotRate).toBeGreaterThan(10 * otherRate);
  });

  it('opens moisture-sensitive parts from a lot opened past its floor life, invisible to SPI', () => {
    const msl = defectsOf('MoistureFloorLife');
    expect(msl.length).toBeGreaterThan(0);
    const lots = new Map(plant.rows('MaterialLot').map((l) => [l.NId, l]));
    for (const { truth, defect } of msl) {
      expect(defect.visibleToSpi).toBe(false);
      expect(['Open', 'HeadInPillow']).toContain(defect.defectType);
      expect(['ICT', 'FCT', 'Escape']).toContain(defect.detectedBy);
      const p = plant.generate('PlacementRecord', 'SerialNumber', truth.serialNumber).find((x) => x.ReferenceDesignator === defect.referenceDesignator) as Row;
      const lot = lots.get(p.MaterialLotNId) as Row;
      const exposureHours = (Date.parse(String(p.PlacedOn)) - Date.parse(String(lot.OpenedOn))) / 3600e3;
      expect(exposureHours).toBeGreaterThan(168);
    }
  });

  it('lets SPI miss a share of true defects and flag pads that have none', () => {
    const all = truths.flatMap((t) => t.defects);
    const real = all.filter((d) => !['FixtureContact', 'FirmwareFailure', 'NoFaultFound'].includes(d.defectType));
    const missed = real.filter((d) => !d.visibleToSpi).length / real.length;
    expect(missed).toBeGreaterThan(0.3);
    let falseFlags = 0;
    for (const spi of plant.rows('SpiInspection').filter((s) => s.Result === 'Fail').slice(0, 100)) {
      const truth = bySerial.get(spi.SerialNumber as string);
      const defectPads = new Set(truth?.defects.map((d) => d.padNId));
      falseFlags += plant.generate('SpiPadMeasurement', 'SpiInspectionId', spi.Id).filter((p) => p.Result === 'Fail' && !defectPads.has(p.PadNId as string)).length;
    }
    expect(falseFlags).toBeGreaterThan(0);
  });

  it('makes AOI false calls and misses some real solder defects', () => {
    let falseCalls = 0;
    for (const aoi of plant.rows('AoiInspection').filter((a) => a.Result === 'Fail').slice(0, 200)) {
      const truth = bySerial.get(aoi.SerialNumber as string);
      const bad = new Set(truth?.defects.map((d) => d.referenceDesignator));
      falseCalls += plant.generate('AoiComponentResult', 'AoiInspectionId', aoi.Id).filter((c) => c.Result === 'Fail' && !bad.has(c.ReferenceDesignator as string)).length;
    }
    expect(falseCalls).toBeGreaterThan(10);
    const solder = truths.flatMap((t) => t.defects).filter((d) => d.padNId && !d.referenceDesignator.startsWith('U'));
    expect(solder.filter((d) => d.detectedBy !== 'AOI').length).toBeGreaterThan(0);
  });
});

describe('generated rows', () => {
  let plant: Plant;

  beforeAll(() => {
    plant = createPlant({ seed: 5, scale: 'small' });
  });

  it('aggregates each SPI inspection from exactly its generated pads', () => {
    for (const spi of plant.rows('SpiInspection').filter((_, i) => i % 37 === 0)) {
      const pads = plant.generate('SpiPadMeasurement', 'SpiInspectionId', spi.Id);
      expect(pads).toHaveLength(spi.PadCount as number);
      const failed = pads.filter((p) => p.Result === 'Fail').length;
      expect(failed).toBe(spi.FailedPadCount);
      expect(spi.Result).toBe(failed > 0 ? 'Fail' : 'Pass');
    }
  });

  it('aggregates AOI inspections and test runs from their generated rows', () => {
    for (const aoi of plant.rows('AoiInspection').filter((_, i) => i % 23 === 0)) {
      const comps = plant.generate('AoiComponentResult', 'AoiInspectionId', aoi.Id);
      expect(comps).toHaveLength(aoi.ComponentCount as number);
      expect(comps.filter((c) => c.Result === 'Fail')).toHaveLength(aoi.DefectCallCount as number);
      expect(comps.filter((c) => c.ReviewVerdict === 'Confirmed')).toHaveLength(aoi.ConfirmedDefectCount as number);
    }
    for (const run of plant.rows('TestRun').filter((_, i) => i % 29 === 0)) {
      const steps = plant.generate('TestStep', 'TestRunId', run.Id);
      expect(steps).toHaveLength(run.StepCount as number);
      expect(steps.filter((s) => s.Result === 'Fail')).toHaveLength(run.FailedStepCount as number);
    }
  });

  it('generates identical rows on every call and finds each by its key', () => {
    const spi = plant.rows('SpiInspection')[10] as Row;
    const a = plant.generate('SpiPadMeasurement', 'SpiInspectionId', spi.Id);
    const b = plant.generate('SpiPadMeasurement', 'SerialNumber', spi.SerialNumber);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const pad = a[17] as Row;
    expect(plant.generatedByKey('SpiPadMeasurement', pad.Id as string)).toEqual(pad);
    const unit = plant.rows('MaterialTrackingUnit')[3] as Row;
    const placements = plant.generate('PlacementRecord', 'MaterialTrackingUnitId', unit.Id);
    expect(plant.generatedByKey('PlacementRecord', (placements[5] as Row).Id as string)).toEqual(placements[5]);
    expect(plant.generate('SpiPadMeasurement', 'SerialNumber', 'NOPE')).toEqual([]);
    expect(plant.generatedByKey('TestStep', 'nope:1')).toBeUndefined();
  });
});
