import { z } from 'zod';
import { DEV_CREDENTIALS } from '../emulator/config';

/**
 * The environment variables of an Opcenter connection, with their defaults (the emulator's
 * development values), for every process that reads Opcenter to include in its config schema.
 */
export const opcenterConnectionVariables = {
  /** Opcenter base URL. Default: the emulator on 127.0.0.1:4100. */
  OPCENTER_URL: z.url().default('http://127.0.0.1:4100'),
  OPCENTER_CLIENT_ID: z.string().default(DEV_CREDENTIALS.clientId),
  OPCENTER_CLIENT_SECRET: z.string().default(DEV_CREDENTIALS.clientSecret),
  OPCENTER_USERNAME: z.string().default(DEV_CREDENTIALS.username),
  OPCENTER_PASSWORD: z.string().default(DEV_CREDENTIALS.password),
  /** Timeout of one Opcenter request in ms. Default 5,000. */
  OPCENTER_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
};

/** An Opcenter connection as `createOpcenterClient` takes it. */
export interface OpcenterConnection {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  timeoutMs: number;
}

type ParsedConnection = { [K in keyof typeof opcenterConnectionVariables]: z.infer<(typeof opcenterConnectionVariables)[K]> };

/** The connection from parsed variables. */
export function toOpcenterConnection(e: ParsedConnection): OpcenterConnection {
  return {
    baseUrl: e.OPCENTER_URL.replace(/\/+$/, ''),
    clientId: e.OPCENTER_CLIENT_ID,
    clientSecret: e.OPCENTER_CLIENT_SECRET,
    username: e.OPCENTER_USERNAME,
    password: e.OPCENTER_PASSWORD,
    timeoutMs: e.OPCENTER_TIMEOUT_MS,
  };
}
