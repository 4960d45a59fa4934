import { readOpcenter, type SubgraphContext } from '../../shared';
import { BOARD_FIELDS, toBoard } from './board.mapper';
import type { Board } from './board.type';

/** The unit with this serial number, batched with every other one this request asks for; null when unknown. */
export async function loadBoard(ctx: SubgraphContext, serialNumber: string): Promise<Board | null> {
  const row = await readOpcenter(() => ctx.loader.loadOne('board', 'serialNumber', serialNumber, BOARD_FIELDS));
  return row ? toBoard(row) : null;
}
