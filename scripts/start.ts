import { join } from 'node:path';
import { DEV_CREDENTIALS } from '../opcenter/emulator/config';
import { loadStartConfig } from './config';
import { ProcessSupervisor, type ProcessSpec } from './process-supervisor';

/** `npm start`: the whole stack with one labelled log; Ctrl-C stops every process. */
async function main(): Promise<void> {
  const config = loadStartConfig();
  const dist = join(__dirname, '..');
  const emulatorUrl = `http://127.0.0.1:${config.emulatorPort}`;
  const specs: ProcessSpec[] = [];
  if (!config.opcenterUrl) {
    specs.push({
      label: 'emulator',
      entry: join(dist, 'opcenter/emulator/main.js'),
      env: { EMULATOR_PORT: String(config.emulatorPort) },
      healthUrl: `${emulatorUrl}/emulator/health`,
    });
  }

  const supervisor = new ProcessSupervisor(specs, (label, code) => {
    supervisor.log(`${label} exited (code ${code}); stopping everything`);
    void supervisor.stop().then(() => process.exit(1));
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    supervisor.log('stopping…');
    void supervisor.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  supervisor.start();
  await supervisor.waitUntilHealthy(config.startTimeoutMs);
  if (stopping) return;
  const opcenter = config.opcenterUrl ?? emulatorUrl;
  supervisor.log('ready');
  supervisor.log(`Opcenter ${config.opcenterUrl ? '' : '(emulator) '}at ${opcenter}`);
  if (!config.opcenterUrl) {
    supervisor.log(
      `  credentials: client ${DEV_CREDENTIALS.clientId} / ${DEV_CREDENTIALS.clientSecret}, user ${DEV_CREDENTIALS.username} / ${DEV_CREDENTIALS.password}`,
    );
    supervisor.log('  try it:');
    supervisor.log(
      `    TOKEN=$(curl -s -u ${DEV_CREDENTIALS.clientId}:${DEV_CREDENTIALS.clientSecret} -d grant_type=password -d username=${DEV_CREDENTIALS.username} -d password=${DEV_CREDENTIALS.password} ${opcenter}/sit-auth/OAuth/Token | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    );
    supervisor.log(
      `    curl -s -H "Authorization: Bearer $TOKEN" '${opcenter}/sit-svc/Application/AppU4DM/odata/WorkOrder?$top=3&$select=NId,Status,FinalMaterialNId,LineNId'`,
    );
  }
  supervisor.log('Ctrl-C stops everything');
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
