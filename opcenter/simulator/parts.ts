/**
 * The component part master: internal part numbers, what they are, their package and, for
 * passives, the value the in-circuit tester measures.
 */

/** Electrical kind, which decides the reference-designator prefix and the ICT test. */
export type PartKind = 'R' | 'C' | 'L' | 'FB' | 'D' | 'Q' | 'U' | 'Y' | 'J';

/** One component part number. */
export interface PartSpec {
  readonly nid: string;
  readonly name: string;
  readonly kind: PartKind;
  readonly packageName: string;
  /** Nominal value for ICT (ohm, farad, henry); absent for parts tested otherwise. */
  readonly value?: number;
  readonly valueUnit?: 'Ohm' | 'F' | 'H';
  /** ICT limits as a fraction of nominal (±). */
  readonly ictTolerance?: number;
}

const r = (value: number, code: string, pkg: string): PartSpec => ({
  nid: `R-${pkg}-${code}`,
  name: `Resistor ${code} 1% ${pkg}`,
  kind: 'R',
  packageName: pkg,
  value,
  valueUnit: 'Ohm',
  ictTolerance: 0.05,
});
const c = (value: number, code: string, pkg: string): PartSpec => ({
  nid: `C-${pkg}-${code}`,
  name: `Capacitor ${code} X7R/X5R ${pkg}`,
  kind: 'C',
  packageName: pkg,
  value,
  valueUnit: 'F',
  ictTolerance: 0.2,
});
const u = (nid: string, name: string, pkg: string, kind: PartKind = 'U'): PartSpec => ({ nid, name, kind, packageName: pkg });

/** Every component part in the plant. */
export const PARTS: readonly PartSpec[] = [
  u('U-SOC-A53', 'Application processor, quad Cortex-A53', 'BGA-256'),
  u('U-DDR4-8G', 'DDR4 SDRAM 8 Gbit x16', 'BGA-96'),
  u('U-PMIC-40', 'Power management IC, 6 rails', 'QFN-40'),
  u('U-ETH-PHY', 'Gigabit Ethernet PHY', 'QFN-48'),
  u('U-FLASH-128M', 'SPI NOR flash 128 Mbit', 'SOIC-8'),
  u('U-EEPROM-2K', 'I2C EEPROM 2 kbit', 'SOIC-8'),
  u('U-LDO-3V3', 'LDO regulator 3.3 V 300 mA', 'SOT-23'),
  u('Q-NMOS-30V', 'N-channel MOSFET 30 V', 'SOT-23', 'Q'),
  u('Y-XTAL-25M', 'Crystal 25 MHz 10 ppm', 'XTAL-3225', 'Y'),
  u('J-USB-C', 'USB Type-C receptacle', 'USB-C', 'J'),
  u('J-HDR-2X10', 'Header 2x10 1.27 mm SMT', 'HDR-2x10', 'J'),
  u('J-PWR-4', 'Power connector 4 pin', 'PWR-4', 'J'),
  u('D-LED-GRN', 'LED green', '0603', 'D'),
  u('D-TVS-5V', 'TVS diode 5 V', 'SOD-123', 'D'),
  u('L-PWR-2U2', 'Power inductor 2.2 uH', 'IND-4040', 'L'),
  u('FB-600R', 'Ferrite bead 600 ohm @100 MHz', '0603', 'FB'),
  u('U-MCU-M4', 'Microcontroller Cortex-M4, motor control', 'QFN-32'),
  u('U-GATE-DRV', 'Half-bridge gate driver', 'SOIC-8'),
  u('U-CSA', 'Current sense amplifier', 'TSSOP-20'),
  u('Q-PWR-60V', 'Power MOSFET 60 V 3 mOhm', 'PQFN-5x6', 'Q'),
  u('Q-PWR-DPAK', 'Power MOSFET 100 V DPAK', 'DPAK', 'Q'),
  u('L-PWR-10U', 'Power inductor 10 uH 8 A', 'IND-7070', 'L'),
  u('C-ECAP-470U', 'Electrolytic capacitor 470 uF 35 V', 'ECAP-8x10', 'C'),
  u('U-MCU-BLE', 'Bluetooth LE SoC', 'WLCSP-36'),
  u('U-SENS-MCU', 'Low-power microcontroller', 'QFN-48-0.4'),
  u('U-AFE-2CH', 'Sensor analog front end, 2 channels', 'QFN-24'),
  u('U-IMU-6AX', '6-axis inertial sensor', 'LGA-14'),
  r(10_000, '10K', '0201'),
  r(1_000, '1K', '0201'),
  r(10_000, '10K', '0402'),
  r(4_700, '4K7', '0402'),
  r(33, '33R', '0402'),
  r(1_000, '1K', '0402'),
  r(100_000, '100K', '0402'),
  r(49.9, '49R9', '0402'),
  r(10_000, '10K', '0603'),
  r(1_000, '1K', '0603'),
  r(0.05, '0R', '0603'),
  r(10_000, '10K', '0805'),
  r(100, '100R', '0805'),
  r(0.01, 'R010', '1206'),
  c(100e-9, '100N', '0201'),
  c(1e-6, '1U', '0201'),
  c(10e-9, '10N', '0201'),
  c(10e-12, '10P', '0201'),
  c(100e-9, '100N', '0402'),
  c(1e-6, '1U', '0402'),
  c(10e-9, '10N', '0402'),
  c(1e-9, '1N', '0402'),
  c(10e-6, '10U', '0603'),
  c(4.7e-6, '4U7', '0603'),
  c(100e-9, '100N', '0603'),
  c(22e-6, '22U', '0805'),
  c(1e-6, '1U', '0805'),
  c(100e-9, '100N', '0805'),
  c(10e-6, '10U', '1206'),
];

const BY_NID = new Map(PARTS.map((p) => [p.nid, p]));

/** The part of a part number; throws for an unknown one. */
export function partOf(nid: string): PartSpec {
  const part = BY_NID.get(nid);
  if (!part) throw new Error(`unknown part ${nid}`);
  return part;
}

/** Manufacturers that make each kind of part, with the MPN prefix they use. */
export const MANUFACTURERS: Readonly<Record<PartKind, readonly string[]>> = {
  R: ['Yageo', 'Vishay', 'Panasonic', 'KOA Speer'],
  C: ['Murata', 'Samsung Electro-Mechanics', 'TDK', 'KEMET'],
  L: ['Wurth Elektronik', 'Coilcraft', 'Bourns'],
  FB: ['Murata', 'TDK', 'Wurth Elektronik'],
  D: ['Nexperia', 'onsemi', 'Vishay', 'Kingbright'],
  Q: ['Infineon', 'onsemi', 'Nexperia', 'Vishay'],
  U: ['NXP', 'Texas Instruments', 'STMicroelectronics', 'Microchip', 'Micron', 'Nordic Semiconductor'],
  Y: ['Abracon', 'Epson', 'TXC'],
  J: ['Amphenol', 'Molex', 'TE Connectivity', 'Wurth Elektronik'],
};

/** Distributors the plant buys from. */
export const SUPPLIERS: readonly string[] = ['Arrow', 'Avnet', 'Digi-Key', 'Mouser', 'Future Electronics', 'TTI'];
