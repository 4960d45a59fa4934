import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createOpcenterClient, OpcenterUnavailableError, type OpcenterClient } from '../opcenter/client';
import { DEV_CREDENTIALS } from '../opcenter/emulator/config';
import type { Emulator } from '../opcenter/emulator/emulator';
import { startTestEmulator } from '../test/support/test-emulator';
import { AuditOutbox, createAuditEntryId, type AuditEntry, type AuditOutboxErrorContext } from './audit-outbox';

let emulator: Emulator;
let redis: Redis;
let opcenter: OpcenterClient;
let keyPrefix: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  await redis.quit();
  await emulator.close();
});

beforeEach(() => {
  keyPrefix = `test-${randomUUID()}`;
  opcenter = createOpcenterClient({
    baseUrl: emulator.url,
    ...DEV_CREDENTIALS,
    retries: 0,
    timeoutMs: 2000,
    breaker: { failureThreshold: 3, resetAfterMs: 50 },
  });
});

afterEach(async () => {
  emulator.faults.clear();
  const keys = await redis.keys(`${keyPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

function anEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  const subjectId = `SN-${randomUUID()}`;
  const inputDigest = `sha256:${randomUUID()}`;
  return {
    id: createAuditEntryId({
      action: 'AI_INFERENCE',
      modelName: 'spi-risk',
      modelVersion: '1.2.0',
      subjectType: 'MaterialTrackingUnit',
      subjectId,
      input: inputDigest,
    }),
    action: 'AI_INFERENCE',
    subjectType: 'MaterialTrackingUnit',
    subjectId,
    details: { score: 0.91, level: 'HIGH', likelyCause: 'stencil clogging' },
    modelName: 'spi-risk',
    modelVersion: '1.2.0',
    confidence: 0.91,
    inputDigest,
    latencyMs: 12.5,
    ...overrides,
  };
}

function auditRows(id: string): Promise<Record<string, unknown>[]> {
  return opcenter.listAll('auditTrailEntry', { filter: { correlationId: id } });
}

function commandsSent(): number {
  return emulator.requestCounts.get('AddAuditTrailEntry') ?? 0;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('AuditOutbox', () => {
  it('writes queued entries to the audit trail with every field, as the service user', async () => {
    const outbox = new AuditOutbox(redis, opcenter, { keyPrefix });
    const entry = anEntry();

    expect(await outbox.enqueue([entry])).toBe(1);
    expect(await outbox.pending()).toEqual({ queued: 1, processing: 0, dead: 0 });
    expect(await outbox.drainOnce()).toMatchObject({ claimed: 1, written: 1, alreadyInOpcenter: 0, deadLettered: 0 });

    const rows = await auditRows(entry.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: DEV_CREDENTIALS.username,
      actorType: 'Service',
      action: 'AI_INFERENCE',
      subjectType: 'MaterialTrackingUnit',
      subjectId: entry.subjectId,
      details: JSON.stringify(entry.details),
      modelName: 'spi-risk',
      modelVersion: '1.2.0',
      confidence: 0.91,
      inputDigest: entry.inputDigest,
      latencyMs: 12.5,
      correlationId: entry.id,
    });
    expect(typeof rows[0]?.timestamp).toBe('string');
    expect(await outbox.pending()).toEqual({ queued: 0, processing: 0, dead: 0 });
  });

  it('writes an entry enqueued twice and drained twice only once', async () => {
    const outbox = new AuditOutbox(redis, opcenter, { keyPrefix });
    const entry = anEntry();
    const sentBefore = commandsSent();

    expect(await outbox.enqueue([entry, entry])).toBe(1);
    expect(await outbox.enqueue([entry])).toBe(0);
    expect(await outbox.drainOnce()).toMatchObject({ claimed: 1, written: 1 });
    expect(await outbox.enqueue([entry])).toBe(0);
    expect(await outbox.drainOnce()).toMatchObject({ claimed: 0, written: 0 });

    // An outbox whose Redis forgot the entry still finds it in Opcenter by CorrelationId.
    const forgetful = new AuditOutbox(redis, opcenter, { keyPrefix: `${keyPrefix}:fresh` });
    expect(await forgetful.enqueue([entry])).toBe(1);
    expect(await forgetful.drainOnce()).toMatchObject({ claimed: 1, written: 0, alreadyInOpcenter: 1 });
    expect(await forgetful.pending()).toEqual({ queued: 0, processing: 0, dead: 0 });

    expect(await auditRows(entry.id)).toHaveLength(1);
    expect(commandsSent() - sentBefore).toBe(1);
  });

  it('keeps entries queued while Opcenter is unavailable and writes them once it is back', async () => {
    const reported: { error: unknown; context: AuditOutboxErrorContext }[] = [];
    const outbox = new AuditOutbox(redis, opcenter, {
      keyPrefix,
      backoffMinMs: 20,
      backoffMaxMs: 100,
      pollIntervalMs: 20,
      onError: (error, context) => reported.push({ error, context }),
    });
    const entries = [anEntry(), anEntry()];
    emulator.faults.set({ status: 503 });

    await outbox.enqueue(entries);
    outbox.start();
    await waitFor(() => reported.length >= 3);
    await outbox.stop();

    expect(await outbox.pending()).toEqual({ queued: 2, processing: 0, dead: 0 });
    expect(reported.every(({ context }) => context.kind === 'unavailable' && context.retryInMs! >= 20)).toBe(true);
    expect(reported[0]?.error).toBeInstanceOf(OpcenterUnavailableError);

    emulator.faults.clear();
    outbox.start();
    await waitFor(async () => (await outbox.pending()).queued === 0);
    await outbox.stop();

    expect(await outbox.pending()).toEqual({ queued: 0, processing: 0, dead: 0 });
    for (const entry of entries) expect(await auditRows(entry.id)).toHaveLength(1);
  });

  it('does not duplicate entries when a drainer crashes after writing and before acknowledging', async () => {
    const entries = [anEntry(), anEntry(), anEntry()];
    let written = 0;
    // The first drainer writes one entry and then never returns: a process that died before its ack.
    const crashing: OpcenterClient = {
      ...opcenter,
      command: async <T>(name: string, params: Readonly<Record<string, unknown>>): Promise<T> => {
        await opcenter.command(name, params);
        written += 1;
        return new Promise<T>(() => undefined);
      },
    };
    const crashed = new AuditOutbox(redis, crashing, { keyPrefix, leaseMs: 300 });
    await crashed.enqueue(entries);
    void crashed.drainOnce();
    await waitFor(() => written === 1);
    expect(await crashed.pending()).toEqual({ queued: 0, processing: 3, dead: 0 });

    const successor = new AuditOutbox(redis, opcenter, { keyPrefix });
    expect(await successor.drainOnce()).toMatchObject({ recovered: 0, claimed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await successor.drainOnce()).toMatchObject({ recovered: 3, claimed: 3, alreadyInOpcenter: 1, written: 2 });

    expect(await successor.pending()).toEqual({ queued: 0, processing: 0, dead: 0 });
    for (const entry of entries) expect(await auditRows(entry.id)).toHaveLength(1);
  });

  it('renews its leases during a batch slower than a lease, so no other drainer takes its entries over', async () => {
    const entries = Array.from({ length: 6 }, () => anEntry());
    // Each write takes 80 ms: the batch (about 500 ms) outlasts the 200 ms lease several times.
    const slow: OpcenterClient = {
      ...opcenter,
      command: async <T>(name: string, params: Readonly<Record<string, unknown>>): Promise<T> => {
        await new Promise((resolve) => setTimeout(resolve, 80));
        return opcenter.command<T>(name, params);
      },
    };
    const drainer = new AuditOutbox(redis, slow, { keyPrefix, leaseMs: 200 });
    const other = new AuditOutbox(redis, opcenter, { keyPrefix, leaseMs: 200 });
    await drainer.enqueue(entries);
    const sent = commandsSent();
    const batch = drainer.drainOnce();
    await waitFor(async () => (await drainer.pending()).processing === 6);
    let taken = 0;
    let finished = false;
    void batch.finally(() => (finished = true));
    while (!finished) {
      const result = await other.drainOnce();
      taken += result.recovered + result.claimed;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(await batch).toMatchObject({ claimed: 6, written: 6 });
    expect(taken).toBe(0);
    expect(commandsSent() - sent).toBe(6);
    expect(await drainer.pending()).toEqual({ queued: 0, processing: 0, dead: 0 });
  });

  it('moves an entry Opcenter refuses to the dead letters with the reason, and writes the rest', async () => {
    const reported: AuditOutboxErrorContext[] = [];
    const outbox = new AuditOutbox(redis, opcenter, { keyPrefix, onError: (_error, context) => reported.push(context) });
    const good = anEntry();
    const bad = anEntry({ subjectId: '   ' });

    await outbox.enqueue([bad, good]);
    expect(await outbox.drainOnce()).toMatchObject({ claimed: 2, written: 1, deadLettered: 1 });

    expect(await outbox.pending()).toEqual({ queued: 0, processing: 0, dead: 1 });
    const [dead] = await outbox.deadLetters();
    expect(dead).toMatchObject({ id: bad.id, entry: bad, code: 'OPCENTER_BAD_REQUEST' });
    expect(dead?.reason).toMatch(/SubjectNId.*must not be empty/);
    expect(reported).toEqual([{ kind: 'dead-letter', entryId: bad.id }]);
    expect(await auditRows(bad.id)).toHaveLength(0);
    expect(await auditRows(good.id)).toHaveLength(1);

    expect(await outbox.requeueDeadLetters()).toBe(1);
    expect(await outbox.pending()).toEqual({ queued: 1, processing: 0, dead: 0 });
  });

  it('refuses an entry without an id, since it could not be deduplicated', async () => {
    const outbox = new AuditOutbox(redis, opcenter, { keyPrefix });
    await expect(outbox.enqueue([anEntry({ id: '' })])).rejects.toThrow(TypeError);
    expect(await outbox.pending()).toEqual({ queued: 0, processing: 0, dead: 0 });
  });
});
