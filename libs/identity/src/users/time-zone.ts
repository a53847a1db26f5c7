/**
 * A user's own time zone (for quiet hours of their e-mail). Validated as the memorandum's is
 * (libs/memoranda/src/dates.ts): identity sits below memoranda, so the rule is repeated here.
 */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
  } catch {
    return false;
  }
}
