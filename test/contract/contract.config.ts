import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';

/** A real Opcenter to run the contract suite against as well, when OPCENTER_URL is set. */
export interface RealOpcenterTarget {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

/** Reads the optional real-Opcenter target of the contract suite from the environment. */
export function loadRealOpcenterTarget(env: NodeJS.ProcessEnv = process.env): RealOpcenterTarget | undefined {
  if (!env.OPCENTER_URL) return undefined;
  return {
    baseUrl: env.OPCENTER_URL.replace(/\/+$/, ''),
    clientId: env.OPCENTER_CLIENT_ID ?? DEV_CREDENTIALS.clientId,
    clientSecret: env.OPCENTER_CLIENT_SECRET ?? DEV_CREDENTIALS.clientSecret,
    username: env.OPCENTER_USERNAME ?? DEV_CREDENTIALS.username,
    password: env.OPCENTER_PASSWORD ?? DEV_CREDENTIALS.password,
  };
}
