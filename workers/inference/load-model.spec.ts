import { readModelCard } from '../../models/model-card';
import { loadModel, NoExecutionProviderError } from './load-model';

describe('loadModel', () => {
  it('falls back from a provider that cannot load to the next, and says so once', async () => {
    const warnings: string[] = [];
    const loaded = await loadModel('spi-defect-risk', { providers: ['cuda', 'cpu'], warn: (m) => warnings.push(m) });
    try {
      expect(loaded.provider).toBe('cpu');
      expect(loaded.version).toBe(readModelCard('spi-defect-risk').version);
      expect(loaded.fallbacks.map((f) => f.provider)).toEqual(['cuda']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^spi-defect-risk \d+\.\d+\.\d+: execution provider 'cuda' cannot load/);
    } finally {
      await loaded.model.release();
    }
  });

  it('uses the first provider when it loads', async () => {
    const loaded = await loadModel('yield-predictor', { providers: ['cpu', 'cuda'] });
    try {
      expect(loaded.provider).toBe('cpu');
      expect(loaded.fallbacks).toEqual([]);
    } finally {
      await loaded.model.release();
    }
  });

  it('fails with NO_EXECUTION_PROVIDER naming every provider tried when none loads', async () => {
    const attempt = loadModel('yield-predictor', { providers: ['cuda', 'no-such-provider'] });
    await expect(attempt).rejects.toBeInstanceOf(NoExecutionProviderError);
    await expect(attempt).rejects.toMatchObject({ code: 'NO_EXECUTION_PROVIDER', message: expect.stringContaining("no-such-provider") });
  });
});
