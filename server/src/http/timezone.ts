/** The caller's time zone for a protocol, when it is one the runtime knows; the server's when none is given. */
export function validTimeZone(tz: string | undefined): string | undefined {
  if (!tz) return Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}
