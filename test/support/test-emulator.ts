import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';
import { requestDevToken } from '../../opcenter/emulator/dev-token';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../opcenter/emulator/emulator';
import { createPlant, type Plant } from '../../opcenter/simulator';

/** The fixed end of history that tests use, so data is the same on every run. */
export const TEST_END_TIME = '2026-11-20T06:00:00Z';

let sharedPlant: Plant | undefined;

/** The small plant of seed 42, generated once per test process. */
export function smallPlant(): Plant {
  sharedPlant ??= createPlant({ seed: 42, scale: 'small', endTime: TEST_END_TIME });
  return sharedPlant;
}

/** Starts an emulator on a free port with the development credentials. */
export function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({
    plant: options.plant ?? createPlant({ seed: 42, scale: 'small', endTime: TEST_END_TIME }),
    host: '127.0.0.1',
    port: 0,
    clients: [{ id: DEV_CREDENTIALS.clientId, secret: DEV_CREDENTIALS.clientSecret }],
    users: [{ username: DEV_CREDENTIALS.username, password: DEV_CREDENTIALS.password }],
    ...options,
  });
}

/** Requests a token from an emulator with the development credentials. */
export const fetchToken = requestDevToken;
