import { DEV_CREDENTIALS } from './config';

/** Requests an access token from an emulator with the development credentials (tests, benchmarks, demos). */
export async function requestDevToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/sit-auth/OAuth/Token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${DEV_CREDENTIALS.clientId}:${DEV_CREDENTIALS.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'password', username: DEV_CREDENTIALS.username, password: DEV_CREDENTIALS.password }),
  });
  if (!response.ok) throw new Error(`token request to ${baseUrl} failed: HTTP ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
