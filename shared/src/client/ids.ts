/** A random request id; works outside secure contexts (plain http on a school LAN), unlike randomUUID. */
export function requestId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
