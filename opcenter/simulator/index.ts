/** The deterministic SMT plant that fills the Opcenter emulator and emits live events. */
export { createPlant, GENERATED_SETS, type Plant, type PlantOptions, type PlantScale } from './plant';
export type { LiveChange, LiveProduction, LiveStep } from './live';
export type { BoardTruth, DefectType, DetectedBy, TrueDefect } from './ground-truth';
export type { Mechanism } from './mechanisms';
export * from './events';
