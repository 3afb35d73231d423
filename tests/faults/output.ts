import type { TestServer } from '../helpers/server.js';

/** Everything a server process writes from now on, stdout and stderr together. */
export function captureOutput(server: TestServer): () => string {
  let text = '';
  const take = (d: Buffer) => (text += d.toString());
  server.process.stdout!.on('data', take);
  server.process.stderr!.on('data', take);
  return () => text;
}

/** Wait for a process to end; resolves with its exit code (null when a signal ended it). */
export function exited(server: TestServer): Promise<number | null> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
