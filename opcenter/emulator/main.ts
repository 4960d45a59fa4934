import { createPlant } from '../simulator';
import { loadEmulatorConfig } from './config';
import { startEmulator } from './emulator';

async function main(): Promise<void> {
  const config = loadEmulatorConfig();
  const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
  const started = Date.now();
  const plant = createPlant({ seed: config.seed, scale: config.scale, endTime: config.endTime });
  const stats = plant.stats();
  log(
    `plant seed ${config.seed}, scale ${config.scale}: ${Object.entries(stats)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')} (${Date.now() - started} ms)`,
  );
  const emulator = await startEmulator({
    plant,
    host: config.host,
    port: config.port,
    maxPageSize: config.maxPageSize,
    tokenTtlSeconds: config.tokenTtlSeconds,
    clients: config.clients,
    users: config.users,
    subscribers: config.subscribers,
    eventSecret: config.eventSecret,
    rate: config.rate,
    log,
  });
  const client = config.clients[0];
  const user = config.users[0];
  log(`Opcenter emulator listening on ${emulator.url}`);
  log(`  token:  POST ${emulator.url}/sit-auth/OAuth/Token (client ${client?.id} / ${client?.secret}, user ${user?.username} / ${user?.password})`);
  log(`  odata:  ${emulator.url}/sit-svc/Application/AppU4DM/odata/WorkOrder`);
  log(`  live:   ${config.rate > 0 ? `${config.rate} board(s)/s` : 'off'}; events to ${config.subscribers.join(', ') || 'no subscriber'}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void emulator.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
