/** Minimal HTTP checks against ClickHouse, without the client library: /ping and `SELECT version()`. */

export interface ClickHouseAuth {
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

export async function pingClickHouse(url: string, timeoutMs = 2_000): Promise<boolean> {
  const response = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(timeoutMs) });
  const body = await response.text();
  return response.ok && body.trim() === 'Ok.';
}

export async function clickHouseVersion(auth: ClickHouseAuth, timeoutMs = 5_000): Promise<string> {
  const target = new URL('/', auth.url);
  target.searchParams.set('query', 'SELECT version()');
  const response = await fetch(target, {
    headers: { 'X-ClickHouse-User': auth.user, 'X-ClickHouse-Key': auth.password },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.text()).trim();
  if (!response.ok)
    throw new Error(`ClickHouse at ${auth.url} answered ${response.status}: ${body.slice(0, 200)}`);
  return body;
}
