import { parseArgs } from 'node:util';
import { issueDevToken, isRole, ROLES } from '../auth';

const USAGE = `usage: npm run --silent token -- --role ROLE [--user NAME]\n  roles: ${ROLES.join(', ')}`;

/** `npm run --silent token -- --role ROLE [--user NAME]`: prints only a development bearer token. */
async function main(): Promise<number> {
  let values: { role?: string; user?: string };
  try {
    ({ values } = parseArgs({ options: { role: { type: 'string' }, user: { type: 'string' } }, strict: true }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const role = values.role?.toUpperCase();
  if (!isRole(role)) {
    process.stderr.write(`${values.role ? `unknown role "${values.role}"` : 'missing --role'}\n${USAGE}\n`);
    return 2;
  }
  const token = await issueDevToken({ user: values.user ?? role.toLowerCase(), roles: [role] });
  process.stdout.write(`${token}\n`);
  return 0;
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
