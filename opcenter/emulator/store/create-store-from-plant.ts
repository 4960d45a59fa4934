import type { EdmEntitySet } from '../../model/edm';
import { ENTITY_SETS } from '../../model/entity-sets';
import type { Plant } from '../../simulator';
import { EntityStore, GeneratedEntitySource, StoredEntitySource } from './entity-store';

/** Loads a simulated plant into an indexed store: stored sets are copied in, generated sets stay on demand. */
export function createStoreFromPlant(plant: Plant): EntityStore {
  const store = new EntityStore();
  for (const set of ENTITY_SETS as readonly EdmEntitySet[]) {
    if (set.partitionedBy) {
      store.add(
        new GeneratedEntitySource(
          set,
          (field, value) => plant.generate(set.name, field, value),
          (key) => (typeof key === 'string' ? plant.generatedByKey(set.name, key) : undefined),
        ),
      );
      continue;
    }
    const source = new StoredEntitySource(set);
    for (const row of plant.rows(set.name)) source.insert(row);
    source.compact();
    store.add(source);
  }
  return store;
}
