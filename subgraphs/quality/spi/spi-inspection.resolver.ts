import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { FilterObject } from '../../../opcenter/client';
import { ConnectionArgs, type ConnectionPage, readOpcenter, pageWindow, type SubgraphContext, toConnection } from '../../shared';
import { Board } from '../board/board.type';
import { SPI_INSPECTION_FIELDS, toSpiInspection } from './spi-inspection.mapper';
import { SpiInspection } from './spi-inspection.type';
import { SpiPadFilter } from './spi-pad-filter.input';
import { SPI_PAD_FIELDS, toSpiPad } from './spi-pad.mapper';
import { SpiPad, SpiPadConnection } from './spi-pad.type';

@Resolver(() => SpiInspection)
export class SpiInspectionResolver {
  @Query(() => SpiInspection, { nullable: true, description: 'One SPI inspection by its Opcenter number, or null.' })
  async spiInspection(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<SpiInspection | null> {
    const row = await readOpcenter(() => ctx.loader.loadOne('spiInspection', 'id', id, SPI_INSPECTION_FIELDS));
    return row ? toSpiInspection(row) : null;
  }

  @FieldResolver(() => Board, { description: 'The inspected board.' })
  board(@Root() inspection: SpiInspection): Board {
    return Object.assign(new Board(), { serialNumber: inspection.serialNumber });
  }

  @FieldResolver(() => SpiPadConnection, { nullable: true, description: 'Per-pad measurements, filtered and paged by Opcenter.' })
  async pads(
    @Root() inspection: SpiInspection,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => SpiPadFilter, { nullable: true }) filter: SpiPadFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ConnectionPage<SpiPad>> {
    const { offset, limit } = pageWindow(args);
    const page = await readOpcenter(() =>
      ctx.opcenter.list('spiPad', {
        filter: toPadFilter(inspection.guid, filter),
        select: [...SPI_PAD_FIELDS],
        orderBy: 'padId',
        top: limit,
        skip: offset,
        count: true,
      }),
    );
    const total = page.count ?? offset + page.items.length;
    return toConnection(page.items.map(toSpiPad), offset, offset + page.items.length < total, total);
  }
}

function toPadFilter(inspectionGuid: string, filter: SpiPadFilter | undefined): FilterObject {
  return {
    spiInspectionGuid: inspectionGuid,
    ...(filter?.onlyOutOfSpec ? { result: 'Fail' } : {}),
    ...(filter?.referenceDesignator ? { referenceDesignator: filter.referenceDesignator } : {}),
    ...(filter?.packageType ? { packageType: filter.packageType } : {}),
  };
}
