import { networkInterfaces } from 'node:os';

/** IPv4 addresses a laptop in the same hall can reach this machine on. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
}

export interface LinkOptions {
  /** PUBLIC_URL, when set, is used as is. */
  publicUrl: string | undefined;
  /** Only a server bound to every interface can be reached on its LAN address. */
  listensOnLan: boolean;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * The origin teachers should open. A facilitator who opened `localhost` would
 * otherwise project a link no teacher's laptop can reach, so loopback hosts are
 * swapped for this machine's address on the local network.
 */
export function publicOrigin(
  links: LinkOptions,
  protocol: string,
  host: string | undefined,
  lan: string | undefined = lanAddresses()[0],
): string {
  if (links.publicUrl) return links.publicUrl.replace(/\/+$/, '');
  const authority = host ?? 'localhost';
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  const hostname = m?.[1] ?? authority;
  const port = m?.[2];
  if (links.listensOnLan && LOOPBACK.test(hostname) && lan) return `${protocol}://${lan}${port ? `:${port}` : ''}`;
  return `${protocol}://${authority}`;
}
