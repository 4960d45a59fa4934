import DataLoader from 'dataloader';
import type { OpcenterClient } from '../../opcenter/client';

type Row = Record<string, unknown>;

/**
 * Per-request batching of Opcenter reads: every `load(concept, field, value)` made while one request
 * resolves is gathered into one `getMany` (`field in (...)`) per concept, field and selection, so a
 * query for 100 boards makes a handful of OData calls, not one per row.
 */
export class OpcenterLoader {
  private readonly loaders = new Map<string, DataLoader<string, Row[]>>();

  constructor(private readonly client: OpcenterClient) {}

  /** All rows of `concept` whose `field` equals `value`. */
  loadMany(concept: string, field: string, value: string, select?: readonly string[]): Promise<Row[]> {
    return this.loader(concept, field, select).load(value);
  }

  /**
   * The first row of `concept` whose `field` equals `value`, or null. With `expand`, the row also
   * holds each named navigation (read in the same call, with the fields listed).
   */
  async loadOne(
    concept: string,
    field: string,
    value: string,
    select?: readonly string[],
    expand?: Readonly<Record<string, readonly string[]>>,
  ): Promise<Row | null> {
    return (await this.loader(concept, field, select, expand).load(value))[0] ?? null;
  }

  /**
   * Tells the loader the rows of `concept` whose `field` equals `value` (read along with another
   * row), so a later load with the same selection makes no call. A value already loaded keeps its rows.
   */
  prime(concept: string, field: string, value: string, select: readonly string[] | undefined, rows: Row[]): void {
    this.loader(concept, field, select).prime(value, rows);
  }

  private loader(
    concept: string,
    field: string,
    select?: readonly string[],
    expand?: Readonly<Record<string, readonly string[]>>,
  ): DataLoader<string, Row[]> {
    const expandKey = expand ? Object.entries(expand).map(([nav, fields]) => `${nav}(${fields.join(',')})`).join(';') : '';
    const key = `${concept}\u0000${field}\u0000${select?.join(',') ?? '*'}\u0000${expandKey}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, Row[]>(async (values) => {
        const fields = select && !select.includes(field) ? [...select, field] : select;
        const expanded = expand ? Object.fromEntries(Object.entries(expand).map(([nav, navFields]) => [nav, { select: [...navFields] }])) : undefined;
        const rows = await this.client.getMany<Row>(concept, field, values, {
          ...(fields ? { select: [...fields] } : {}),
          ...(expanded ? { expand: expanded } : {}),
        });
        const byValue = new Map<string, Row[]>();
        for (const row of rows) {
          const value = String(row[field]);
          const bucket = byValue.get(value);
          if (bucket) bucket.push(row);
          else byValue.set(value, [row]);
        }
        return values.map((value) => byValue.get(value) ?? []);
      });
      this.loaders.set(key, loader);
    }
    return loader;
  }
}
