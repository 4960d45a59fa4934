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

  /** The first row of `concept` whose `field` equals `value`, or null. */
  async loadOne(concept: string, field: string, value: string, select?: readonly string[]): Promise<Row | null> {
    return (await this.loadMany(concept, field, value, select))[0] ?? null;
  }

  private loader(concept: string, field: string, select?: readonly string[]): DataLoader<string, Row[]> {
    const key = `${concept}\u0000${field}\u0000${select?.join(',') ?? '*'}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, Row[]>(async (values) => {
        const fields = select && !select.includes(field) ? [...select, field] : select;
        const rows = await this.client.getMany<Row>(concept, field, values, fields ? { select: [...fields] } : {});
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
