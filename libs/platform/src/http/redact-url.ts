/**
 * URLs as the request log writes them: the value of every query parameter that may carry a
 * secret — calendar feed tokens (`?token=`), and any access token, key, password, signature or
 * code a client or a future route puts in a URL — replaced by `[REDACTED]`. Names are matched as
 * the query parser reads them (percent-decoded, `+` as space, `token[]` as `token`, any case), so
 * spelling a name differently does not get its value into the log.
 */
const SECRET_NAME =
  /token|secret|passw|pwd|api[-_ ]?key|^key$|signature|^sig$|credential|^auth|session|^code$|^otp$|^jwt$/i;

export const REDACTED = '[REDACTED]';

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0 || !isSecretName(pair.slice(0, eq))) return pair;
      return `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join('&');
  return `${url.slice(0, q)}?${redacted}${hash < 0 ? '' : url.slice(hash)}`;
}

function isSecretName(raw: string): boolean {
  let name = raw.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: judge the name as written, and by its letters alone.
    name = name.replace(/%[0-9a-f]{0,2}/gi, '');
  }
  return SECRET_NAME.test(name.split('[')[0].trim());
}
