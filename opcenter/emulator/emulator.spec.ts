import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchToken, startTestEmulator } from '../../test/support/test-emulator';
import type { Emulator } from './emulator';

describe('the emulator over HTTP', () => {
  let emulator: Emulator;
  let token: string;
  const odata = (app: string, rest: string) => `${emulator.url}/sit-svc/Application/${app}/odata/${rest}`;
  const get = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const command = (app: string, name: string, body: unknown) =>
    fetch(odata(app, name), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    emulator = await startTestEmulator();
    token = await fetchToken(emulator.url);
  });
  afterAll(() => emulator.close());

  it('answers 401 with an OData error body and WWW-Authenticate without a valid token', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Array<Record<string, string>>) {
      const response = await fetch(odata('AppU4DM', 'WorkOrder'), { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ error: { code: 'Unauthorized' } });
    }
  });

  it('refuses a token request from an unknown client with 401 and a wrong password with 400', async () => {
    const wrongClient = await fetch(`${emulator.url}/sit-auth/OAuth/Token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'password', username: 'ai-service', password: 'ai-service' }),
    });
    expect(wrongClient.status).toBe(401);
    expect(await wrongClient.json()).toMatchObject({ error: 'invalid_client' });
    const wrongPassword = await fetch(`${emulator.url}/sit-auth/OAuth/Token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('insight-graph:insight-graph-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'password', username: 'ai-service', password: 'nope' }),
    });
    expect(wrongPassword.status).toBe(400);
    expect(await wrongPassword.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('serves $metadata as CSDL XML and a service document listing the app’s entity sets', async () => {
    const metadata = await get(odata('Quality', '$metadata'));
    expect(metadata.headers.get('content-type')).toMatch(/application\/xml/);
    const xml = await metadata.text();
    expect(xml).toContain('<EntitySet Name="SpiInspection"');
    expect(xml).toContain('CreateNonConformance');
    const service = (await (await get(odata('Quality', ''))).json()) as { value: Array<{ name: string }> };
    expect(service.value.map((s) => s.name)).toEqual(expect.arrayContaining(['SpiInspection', 'AoiInspection', 'NonConformance']));
  });

  it('answers 404 with a hint for an entity set asked of the wrong app, an unknown app and an unknown key', async () => {
    const wrongApp = await get(odata('Quality', 'WorkOrder'));
    expect(wrongApp.status).toBe(404);
    expect(((await wrongApp.json()) as { error: { message: string } }).error.message).toMatch(/served by the application AppU4DM/);
    expect((await get(`${emulator.url}/sit-svc/Application/Nope/odata/WorkOrder`)).status).toBe(404);
    const missing = await get(odata('AppU4DM', 'WorkOrder(00000000-0000-4000-8000-000000000000)'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NotFound' } });
  });

  it('answers a malformed query with 400 and never with a 500', async () => {
    const bad = ["NId eq 'x", 'NId eq', 'Nope eq 1', "PlannedQuantity eq 'ten'", '((((', "NId eq 'a' and", 'NId in ()', '$$$'];
    for (const filter of bad) {
      const response = await get(odata('AppU4DM', `WorkOrder?$filter=${encodeURIComponent(filter)}`));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toEqual(expect.any(String));
      expect(body.error.message.length).toBeGreaterThan(10);
    }
    expect((await get(odata('AppU4DM', 'WorkOrder?$top=-1'))).status).toBe(400);
    expect((await get(odata('AppU4DM', 'WorkOrder?$orderby=Nope'))).status).toBe(400);
    expect((await get(odata('AppU4DM', 'WorkOrder?$expand=Nope'))).status).toBe(400);
  });

  it('counts with /$count as plain text, matching @odata.count', async () => {
    const text = await (await get(odata('AppU4DM', "MaterialTrackingUnit/$count?$filter=UnitType eq 'Board'"))).text();
    const body = (await (await get(odata('AppU4DM', "MaterialTrackingUnit?$filter=UnitType eq 'Board'&$count=true&$top=1"))).json()) as Record<string, unknown>;
    expect(Number(text)).toBeGreaterThan(100);
    expect(body['@odata.count']).toBe(Number(text));
  });

  it('honours Prefer: odata.maxpagesize with a nextLink', async () => {
    const response = await get(odata('AppU4DM', 'MaterialTrackingUnit?$select=NId'), { prefer: 'odata.maxpagesize=7' });
    const body = (await response.json()) as { value: unknown[]; '@odata.nextLink'?: string };
    expect(body.value).toHaveLength(7);
    expect(body['@odata.nextLink']).toMatch(/\$skiptoken=/);
  });

  it('rejects a command body that is not JSON, and writes with anything but a command', async () => {
    const notJson = await fetch(odata('Quality', 'CreateNonConformance'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{"command": ',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    expect((await command('AppU4DM', 'WorkOrder', {})).status).toBe(405);
    expect((await command('AppU4DM', 'NoSuchCommand', { command: {} })).status).toBe(404);
  });

  it('refuses an oversized command body with 413', async () => {
    const response = await command('Quality', 'CreateNonConformance', { command: { Title: 'x'.repeat(1_100_000) } });
    expect(response.status).toBe(413);
  });

  it('holds a unit, refuses its release until an Approval signature, then releases it', async () => {
    const units = (await (await get(odata('AppU4DM', "MaterialTrackingUnit?$filter=UnitType eq 'Board'&$top=1&$select=NId"))).json()) as {
      value: Array<{ NId: string }>;
    };
    const serial = units.value[0]!.NId;
    expect(await (await command('AppU4DM', 'HoldMaterialTrackingUnit', { command: { SerialNumber: serial, Reason: 'suspect lot' } })).json()).toMatchObject({
      Succeeded: true,
    });
    const held = (await (await get(odata('AppU4DM', `MaterialTrackingUnit?$filter=NId eq '${serial}'&$select=IsOnHold,HoldReason`))).json()) as {
      value: unknown[];
    };
    expect(held.value[0]).toEqual({ IsOnHold: true, HoldReason: 'suspect lot' });
    expect(await (await command('AppU4DM', 'ReleaseMaterialTrackingUnit', { command: { SerialNumber: serial } })).json()).toMatchObject({
      Succeeded: false,
      Error: { ErrorCode: 'SignatureRequired' },
    });
    const wrongPassword = await command('AuditTrail', 'AddElectronicSignature', {
      command: { SubjectType: 'MaterialTrackingUnit', SubjectNId: serial, Meaning: 'Approval', Reason: 'ok', Password: 'wrong' },
    });
    expect(await wrongPassword.json()).toMatchObject({ Succeeded: false, Error: { ErrorCode: 'InvalidSignature' } });
    await command('AuditTrail', 'AddElectronicSignature', {
      command: { SubjectType: 'MaterialTrackingUnit', SubjectNId: serial, Meaning: 'Approval', Reason: 'lot cleared', Password: 'ai-service' },
    });
    expect(await (await command('AppU4DM', 'ReleaseMaterialTrackingUnit', { command: { SerialNumber: serial } })).json()).toMatchObject({
      Succeeded: true,
    });
  });

  it('plays an injected outage and clears it', async () => {
    await fetch(`${emulator.url}/emulator/faults`, { method: 'POST', body: JSON.stringify({ status: 503, count: 2 }) });
    expect((await get(odata('AppU4DM', 'WorkOrder?$top=1'))).status).toBe(503);
    expect((await get(odata('AppU4DM', 'WorkOrder?$top=1'))).status).toBe(503);
    expect((await get(odata('AppU4DM', 'WorkOrder?$top=1'))).status).toBe(200);
  });
});

describe('the emulator in live mode', () => {
  it('posts events whose records can already be read back when they arrive', async () => {
    const received: Array<Record<string, unknown>> = [];
    const readBack: number[] = [];
    let emulator: Emulator | undefined;
    let token = '';
    const server: Server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const event = JSON.parse(text) as Record<string, unknown>;
        received.push(event);
        if (event.eventType === 'SpiMeasurementsUploaded' && emulator) {
          void fetch(`${emulator.url}/sit-svc/Application/Quality/odata/SpiInspection(${String(event.inspectionId)})`, {
            headers: { authorization: `Bearer ${token}` },
          })
            .then((r) => readBack.push(r.status))
            // A read still in flight when the emulator closes fails; it is not one of those the test counts.
            .catch(() => undefined);
        }
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    try {
      emulator = await startTestEmulator({ rate: 20, subscribers: [url] });
      token = await fetchToken(emulator.url);
      const deadline = Date.now() + 15_000;
      while (readBack.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readBack.length).toBeGreaterThanOrEqual(3);
      expect(readBack.every((status) => status === 200)).toBe(true);
      const ids = received.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(received.map((e) => e.eventType))).toContain('SpiMeasurementsUploaded');
    } finally {
      await emulator?.close();
      server.close();
    }
  });
});
