/**
 * A minimal browser for the OpenID Connect login in tests: follows redirects by hand with a cookie
 * jar, and on the development provider's page clicks the button of one account. The real browser
 * test (test/pages/browser.test.ts) does the same in Chromium.
 */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  store(url: string, res: Response): void {
    const host = new URL(url).host;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(host, jar);
  }

  header(url: string): string {
    return [...(this.cookies.get(new URL(url).host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Fetches with the jar, without following redirects. */
export async function visit(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: jar.header(url) } });
  jar.store(url, res);
  return res;
}

/**
 * From the provider's authorization URL to the callback URL the provider sends the browser to,
 * logging in as `account` (second factor ticked unless `secondFactor` is false).
 */
export async function loginAtDevProvider(
  jar: CookieJar,
  authorizationUrl: string,
  account: string,
  options: { secondFactor?: boolean; until: (url: string) => boolean },
): Promise<string> {
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    if (options.until(url)) return url;
    const res = await visit(jar, url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const page = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no login form at ${url} (${res.status}): ${page.slice(0, 200)}`);
    const form = new URLSearchParams({ account });
    if (options.secondFactor !== false) form.set('tweedeFactor', 'ja');
    const posted = await visit(jar, new URL(action, url).href, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    url = new URL(posted.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects');
}
