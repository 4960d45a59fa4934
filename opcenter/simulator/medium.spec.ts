import { createPlant } from './index';

describe('medium scale', () => {
  it('generates four lines and about twenty thousand boards', () => {
    const plant = createPlant({ seed: 42, scale: 'medium' });
    const stats = plant.stats();
    expect(plant.rows('Equipment').filter((e) => e.EquipmentType === 'SmtLine')).toHaveLength(4);
    expect(stats.boards).toBeGreaterThan(15_000);
    expect(stats.boards).toBeLessThan(30_000);
    expect(stats.consumptionRows).toBeGreaterThan(15 * (stats.boards ?? 0));
  });
});
