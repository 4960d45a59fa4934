import { startTestEmulator } from '../../../test/support/test-emulator';
import { createOpcenterClient } from '../../../opcenter/client';
import { DEV_CREDENTIALS } from '../../../opcenter/emulator/config';
import type { Emulator } from '../../../opcenter/emulator/emulator';
import { walkWhereUsed } from './walk-where-used';

describe('walkWhereUsed', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  it('stops with GENEALOGY_LIMIT_EXCEEDED once the walk reaches more units than its cap', async () => {
    const opcenter = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
    const lotId = String((await opcenter.list('consumption', { filter: { materialLotId: { ne: null } }, top: 1 })).items[0]!.materialLotId);
    await expect(walkWhereUsed(opcenter, [lotId], 5)).rejects.toMatchObject({ extensions: { code: 'GENEALOGY_LIMIT_EXCEEDED', limit: 5 } });
  });
});
