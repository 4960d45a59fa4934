import type { SubgraphContext } from '../../shared';
import { loadBoard } from './load-board';
import type { Board } from './board.type';

/** Resolves `Board` representations; all of one request go to Opcenter in one batch. */
export function resolveBoardReference(reference: { serialNumber: string }, ctx: SubgraphContext): Promise<Board | null> {
  return loadBoard(ctx, reference.serialNumber);
}
