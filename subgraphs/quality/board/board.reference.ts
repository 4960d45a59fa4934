import { Board } from './board.type';

/** Resolves a Board representation: the key is all this subgraph needs, its fields load in batches. */
export function resolveBoardReference(reference: { serialNumber: string }): Board {
  return Object.assign(new Board(), { serialNumber: reference.serialNumber });
}
