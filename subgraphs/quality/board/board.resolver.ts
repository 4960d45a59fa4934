import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { readOpcenter, UpstreamUnavailableError, type SubgraphContext } from '../../shared';
import { AOI_INSPECTION_FIELDS, toAoiInspection } from '../aoi/aoi-inspection.mapper';
import { AoiInspection } from '../aoi/aoi-inspection.type';
import { NONCONFORMANCE_FIELDS, toNonconformance } from '../nonconformance/nonconformance.mapper';
import { Nonconformance } from '../nonconformance/nonconformance.type';
import { SPI_INSPECTION_FIELDS, toSpiInspection } from '../spi/spi-inspection.mapper';
import { SpiInspection } from '../spi/spi-inspection.type';
import { Board } from './board.type';
import { toDefectRisk } from './defect-risk.mapper';
import { DefectRisk } from './defect-risk.type';

/** Board-level lists, each read with one batched Opcenter call for all boards of a request. */
@Resolver(() => Board)
export class BoardResolver {
  @FieldResolver(() => [SpiInspection], { nullable: true, description: 'SPI inspections of the board, oldest first.' })
  async spiInspections(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<SpiInspection[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('spiInspection', 'serialNumber', board.serialNumber, SPI_INSPECTION_FIELDS));
    return rows.map(toSpiInspection).sort((a, b) => a.inspectedOn.getTime() - b.inspectedOn.getTime());
  }

  @FieldResolver(() => [AoiInspection], { nullable: true, description: 'AOI inspections of the board, oldest first.' })
  async aoiInspections(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<AoiInspection[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('aoiInspection', 'serialNumber', board.serialNumber, AOI_INSPECTION_FIELDS));
    return rows.map(toAoiInspection).sort((a, b) => a.inspectedOn.getTime() - b.inspectedOn.getTime());
  }

  @FieldResolver(() => DefectRisk, {
    description: "The board's risk of solder-joint defects from its SPI measurements: stored, or scored within the AI budget, else PENDING.",
  })
  async defectRisk(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<DefectRisk> {
    if (ctx.ai === undefined) throw new UpstreamUnavailableError('This quality subgraph runs without the AI layer (no Redis configured).');
    return toDefectRisk(await ctx.ai.load({ modelName: 'spi-defect-risk', serialNumber: board.serialNumber }));
  }

  @FieldResolver(() => [Nonconformance], { nullable: true, description: 'NCRs raised on the board, newest first.' })
  async nonconformances(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<Nonconformance[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('nonConformance', 'serialNumber', board.serialNumber, NONCONFORMANCE_FIELDS));
    return rows.map(toNonconformance).sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime());
  }
}
