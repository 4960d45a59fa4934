/**
 * `npm run --silent alerts -- [--type TYPE] [--severity S] [--after ID] [--url ws://...] [--token TOKEN]`
 *
 * Follows the live alerts through the gateway over graphql-ws and prints one line per alert:
 * time, severity, type, message, board serial, order and the order's product (resolved by the gateway
 * from the execution subgraph).
 *
 * - `--type` / `--severity`: only these (repeat the option for several: `--type DEFECT_RISK --type TEST_FAILURE`).
 * - `--after ID`: first every retained alert after that id, then live ones. Without it: the newest
 *   retained alert's id is looked up first, so only new alerts print, and a reconnect misses none.
 * - `--url`: the gateway's graphql-ws URL. Default `GATEWAY_URL` (an http(s) or ws(s) URL of the
 *   gateway's /graphql) or `ws://127.0.0.1:4000/graphql`.
 * - `--token`: a bearer token. Default: a development token from the dev issuer, role OPERATOR (what
 *   `npm run token -- --role OPERATOR` prints; the gateway accepts it only with development tokens on).
 *
 * Reconnects: graphql-ws retries a dropped connection (`retryAttempts`) and subscribes again with the
 * same payload object, whose `after` this script keeps at the id of the last alert printed, so nothing
 * is missed or printed twice. When the server ends the subscription instead (4429 slow consumer, the
 * alert stream or a subgraph unavailable), the script waits and subscribes again the same way.
 * Each reconnect prints a one-line note on stderr. Ctrl-C stops it.
 */
import { createClient, type Client } from 'graphql-ws';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { issueDevToken } from '../auth';
import { ALERT_SEVERITIES, ALERT_TYPES, isAlertId } from '../insights/alert-stream';

const USAGE = `usage: npm run --silent alerts -- [--type TYPE] [--severity S] [--after ID] [--url ws://host:port/graphql] [--token TOKEN]
  types: ${ALERT_TYPES.join(', ')}
  severities: ${ALERT_SEVERITIES.join(', ')}`;

const SUBSCRIPTION = `subscription ($after: ID, $filter: AlertFilter) {
  alerts(after: $after, filter: $filter) {
    id occurredAt severity type message serialNumber orderId
    productionOrder { id productId }
  }
}`;

interface AlertLine {
  id: string;
  occurredAt: string;
  severity: string;
  type: string;
  message: string;
  serialNumber: string | null;
  orderId: string | null;
  productionOrder: { id: string; productId: string | null } | null;
}

/** graphql-ws close codes after which trying again cannot help. */
const FATAL_CODES = new Set([4400, 4401, 4403, 4406]);

async function main(): Promise<number> {
  let values: { type?: string[]; severity?: string[]; after?: string; url?: string; token?: string };
  try {
    ({ values } = parseArgs({
      options: {
        type: { type: 'string', multiple: true },
        severity: { type: 'string', multiple: true },
        after: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const types = (values.type ?? []).map((t) => t.toUpperCase());
  const severities = (values.severity ?? []).map((s) => s.toUpperCase());
  const problem =
    types.find((t) => !(ALERT_TYPES as readonly string[]).includes(t)) !== undefined
      ? `unknown type in ${types.join(', ')}`
      : severities.find((s) => !(ALERT_SEVERITIES as readonly string[]).includes(s)) !== undefined
        ? `unknown severity in ${severities.join(', ')}`
        : values.after !== undefined && !isAlertId(values.after)
          ? `--after must be an alert id such as 1712345678901-0`
          : undefined;
  if (problem) {
    process.stderr.write(`${problem}\n${USAGE}\n`);
    return 2;
  }
  const url = toWsUrl(values.url ?? process.env.GATEWAY_URL ?? 'ws://127.0.0.1:4000/graphql');
  const token = values.token ?? (await issueDevToken({ user: 'alerts-cli', roles: ['OPERATOR'] }));
  const note = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

  let lastId = values.after ?? null;
  let stopping = false;
  let client: Client | undefined;
  process.once('SIGINT', () => {
    stopping = true;
    void client?.dispose();
  });

  for (let attempt = 0; !stopping; attempt += 1) {
    let fatal: string | undefined;
    client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 1_000_000,
      shouldRetry: () => !stopping,
      on: {
        closed: (event) => {
          const { code, reason } = event as { code?: number; reason?: string };
          // 1000: the lazy connection closing between the history query and the subscription.
          if (stopping || code === 1000) return;
          if (code !== undefined && FATAL_CODES.has(code)) fatal = `${code} ${reason ?? ''}`.trim();
          else note(`disconnected (${code ?? 'no code'}${reason ? ` ${reason}` : ''}); reconnecting with after=${lastId ?? '(newest)'}`);
        },
      },
    });
    try {
      if (lastId === null) lastId = await newestAlertId(client);
      // One object for the whole life of the client: graphql-ws sends it again on every retry.
      const variables: { after: string | null; filter: { types?: string[]; severities?: string[] } } = {
        after: lastId,
        filter: { ...(types.length ? { types } : {}), ...(severities.length ? { severities } : {}) },
      };
      if (attempt === 0) note(`following alerts at ${url}${lastId ? ` after ${lastId}` : ''}`);
      for await (const result of client.iterate<{ alerts: AlertLine }>({ query: SUBSCRIPTION, variables })) {
        if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
        const alert = result.data?.alerts;
        if (!alert || (lastId !== null && !isNewer(alert.id, lastId))) continue;
        lastId = alert.id;
        variables.after = alert.id;
        process.stdout.write(`${formatAlert(alert)}\n`);
      }
    } catch (error) {
      if (stopping) break;
      if (fatal) {
        process.stderr.write(`The gateway refused the connection (${fatal}); check --token and --url.\n`);
        return 1;
      }
      const { code, reason, message } = error as { code?: number; reason?: string; message?: string };
      const why = code !== undefined ? `${code} ${reason ?? ''}`.trim() : (message ?? String(error));
      const waitMs = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
      note(`subscription ended (${why}); resubscribing in ${waitMs / 1000} s with after=${lastId ?? '(newest)'}`);
      await client.dispose();
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      continue;
    }
    await client.dispose();
    if (!stopping) note(`the gateway completed the subscription; resubscribing with after=${lastId ?? '(newest)'}`);
  }
  return 0;
}

/** The newest retained alert's id, so that a reconnect resumes from a known point; null when there is none. */
async function newestAlertId(client: Client): Promise<string | null> {
  for await (const result of client.iterate<{ alerts: { nodes: { id: string }[] } | null }>({ query: '{ alerts(first: 1) { nodes { id } } }' })) {
    if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
    return result.data?.alerts?.nodes[0]?.id ?? null;
  }
  return null;
}

function formatAlert(alert: AlertLine): string {
  const order = alert.productionOrder?.id ?? alert.orderId;
  return [
    alert.occurredAt,
    alert.severity.padEnd(8),
    alert.type.padEnd(13),
    alert.message,
    `board=${alert.serialNumber ?? '-'}`,
    `order=${order ?? '-'}`,
    `product=${alert.productionOrder?.productId ?? '-'}`,
    `id=${alert.id}`,
  ].join('  ');
}

function isNewer(id: string, than: string): boolean {
  const [ms, seq] = id.split('-').map(BigInt) as [bigint, bigint];
  const [thanMs, thanSeq] = than.split('-').map(BigInt) as [bigint, bigint];
  return ms > thanMs || (ms === thanMs && seq > thanSeq);
}

function toWsUrl(url: string): string {
  const ws = url.replace(/^http(s?):\/\//, 'ws$1://');
  return /\/graphql\/?$/.test(ws) ? ws : `${ws.replace(/\/$/, '')}/graphql`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
