import { numeric, text, type OpcenterRow } from '../../shared';
import { SpiPad } from './spi-pad.type';

/** The fields of a `spiPad` row that the SpiPad type needs. */
export const SPI_PAD_FIELDS = [
  'padId',
  'referenceDesignator',
  'pinNumber',
  'packageType',
  'padShape',
  'padSizeXUm',
  'padSizeYUm',
  'pitchUm',
  'apertureAreaRatio',
  'volumePct',
  'areaPct',
  'heightUm',
  'offsetXUm',
  'offsetYUm',
  'result',
] as const;

/** An Opcenter `spiPad` row as a SpiPad. */
export function toSpiPad(row: OpcenterRow): SpiPad {
  return Object.assign(new SpiPad(), {
    padId: text(row.padId),
    referenceDesignator: text(row.referenceDesignator),
    pinNumber: text(row.pinNumber),
    packageType: text(row.packageType),
    padShape: text(row.padShape),
    padSizeXUm: numeric(row.padSizeXUm),
    padSizeYUm: numeric(row.padSizeYUm),
    pitchUm: numeric(row.pitchUm),
    apertureAreaRatio: numeric(row.apertureAreaRatio),
    volumePct: numeric(row.volumePct),
    areaPct: numeric(row.areaPct),
    heightUm: numeric(row.heightUm),
    offsetXUm: numeric(row.offsetXUm),
    offsetYUm: numeric(row.offsetYUm),
    result: text(row.result),
  });
}
