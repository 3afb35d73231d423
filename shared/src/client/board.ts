import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { boardDocName } from '../board/notes.js';

export interface BoardConnectionOptions {
  /** Server origin, http(s)://host:port. */
  url: string;
  sessionId: string;
  boardId: string;
  token?: string;
  /** For Node, where there is no global WebSocket: pass the `ws` package's class. */
  WebSocketPolyfill?: unknown;
  doc?: Y.Doc;
}

export interface BoardConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the first sync with the server is done. */
  synced: Promise<void>;
  close(): void;
}

/** Open a board's Yjs document over the y-websocket protocol at `/yjs/<sessionId>/<boardId>`. */
export function openBoard(opts: BoardConnectionOptions): BoardConnection {
  const doc = opts.doc ?? new Y.Doc();
  const wsUrl = opts.url.replace(/^http/, 'ws') + '/yjs';
  const params: Record<string, string> = {};
  if (opts.token) params.token = opts.token;
  const provider = new WebsocketProvider(wsUrl, boardDocName(opts.sessionId, opts.boardId), doc, {
    params,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    WebSocketPolyfill: (opts.WebSocketPolyfill ?? globalThis.WebSocket) as any,
    maxBackoffTime: 3000,
    // Tabs sync through the server, which decides access; a cross-tab channel would bypass it.
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (ok: boolean) => ok && resolve());
  });
  return {
    doc,
    provider,
    synced,
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}
