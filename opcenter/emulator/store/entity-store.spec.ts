import { NonConformance } from '../../model/entity-sets';
import { StoredEntitySource } from './entity-store';

const nc = (id: string, status: string, serial: string | null) => ({ Id: id, NId: `NC-${id.slice(0, 4)}`, Status: status, SerialNumber: serial });
const ID_A = 'AAAAAAAA-0000-4000-8000-000000000001';
const ID_B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('StoredEntitySource', () => {
  it('finds rows by key (GUIDs in any case) and by indexed property', () => {
    const source = new StoredEntitySource(NonConformance);
    source.insert(nc(ID_A, 'Open', 'SN1'));
    source.insert(nc(ID_B, 'Open', 'SN2'));
    expect(source.get(ID_A.toLowerCase())?.SerialNumber).toBe('SN1');
    expect(source.lookup('Status', 'Open')?.map((r) => r.SerialNumber)).toEqual(['SN1', 'SN2']);
    expect(source.lookup('Title', 'x')).toBeUndefined();
  });

  it('refuses a second row with the same key', () => {
    const source = new StoredEntitySource(NonConformance);
    source.insert(nc(ID_A, 'Open', 'SN1'));
    expect(() => source.insert(nc(ID_A.toLowerCase(), 'Closed', 'SN9'))).toThrow(/duplicate key/);
    expect(source.size()).toBe(1);
  });

  it('moves a row between index buckets when an update changes an indexed property', () => {
    const source = new StoredEntitySource(NonConformance);
    source.insert(nc(ID_A, 'PendingReview', 'SN1'));
    source.update(ID_A, { Status: 'Open' });
    expect(source.lookup('Status', 'PendingReview')).toEqual([]);
    expect(source.lookup('Status', 'Open')?.[0]?.Status).toBe('Open');
  });

  it('leaves nulls out of the indexes, so a null lookup asks for a scan', () => {
    const source = new StoredEntitySource(NonConformance);
    source.insert(nc(ID_A, 'Open', null));
    source.compact();
    expect(source.lookup('SerialNumber', null)).toBeUndefined();
    source.update(ID_A, { SerialNumber: 'SN7' });
    expect(source.lookup('SerialNumber', 'SN7')).toHaveLength(1);
  });
});
