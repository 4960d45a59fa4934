import { MicroBatcher } from './micro-batcher';

interface Item {
  readonly id: number;
  readonly rows: number;
}

function recordingBatcher(options: { maxRows: number; maxWaitMs: number }, runMs = 0) {
  const runs: number[][] = [];
  const batcher = new MicroBatcher<Item, string>(
    async (items) => {
      runs.push(items.map((i) => i.id));
      if (runMs > 0) await new Promise((resolve) => setTimeout(resolve, runMs));
      return items.map((i) => `scored ${i.id}`);
    },
    (item) => item.rows,
    options,
  );
  return { batcher, runs };
}

describe('MicroBatcher', () => {
  it('serves many concurrent requests with one run, each getting its own result', async () => {
    const { batcher, runs } = recordingBatcher({ maxRows: 10_000, maxWaitMs: 20 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, id) => batcher.submit({ id, rows: 100 })));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toHaveLength(50);
    expect(results[7]).toBe('scored 7');
    expect(batcher.stats).toEqual({ batches: 1, requests: 50, rows: 5_000, lastBatchRows: 5_000 });
  });

  it('runs a batch as soon as it holds the maximum rows, without waiting', async () => {
    const { batcher, runs } = recordingBatcher({ maxRows: 300, maxWaitMs: 60_000 });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((id) => batcher.submit({ id, rows: 100 })));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('never puts more than the maximum rows in one batch', async () => {
    const { batcher, runs } = recordingBatcher({ maxRows: 250, maxWaitMs: 5 });
    await Promise.all([1, 2, 3, 4, 5].map((id) => batcher.submit({ id, rows: 100 })));
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('collects what arrives during a run into the next batch', async () => {
    const { batcher, runs } = recordingBatcher({ maxRows: 10_000, maxWaitMs: 5 }, 50);
    const first = batcher.submit({ id: 1, rows: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = [2, 3, 4].map((id) => batcher.submit({ id, rows: 1 }));
    await Promise.all([first, ...later]);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it('fails every request of a failed run, and serves the next batch normally', async () => {
    let fail = true;
    const batcher = new MicroBatcher<Item, number>(
      async (items) => {
        if (fail) throw new Error('model run failed');
        return items.map((i) => i.id * 2);
      },
      (item) => item.rows,
      { maxRows: 100, maxWaitMs: 5 },
    );
    const failed = await Promise.allSettled([batcher.submit({ id: 1, rows: 1 }), batcher.submit({ id: 2, rows: 1 })]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.submit({ id: 3, rows: 1 })).resolves.toBe(6);
  });

  it('rejects a run that returns the wrong number of results', async () => {
    const batcher = new MicroBatcher<Item, number>(async () => [1], (item) => item.rows, { maxRows: 100, maxWaitMs: 5 });
    const results = await Promise.allSettled([batcher.submit({ id: 1, rows: 1 }), batcher.submit({ id: 2, rows: 1 })]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: new Error('A batch of 2 items gave 1 results') });
  });
});
