import { networkInterfaces } from 'node:os';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';

/** Addresses a teacher's laptop in the same hall can reach. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
}

const config = configFromEnv();
const app = await createApp(config);
const port = app.port();
const hosts = config.host === '0.0.0.0' ? ['localhost', ...lanAddresses()] : [config.host];
console.log(`Kenes is running. Data: ${config.dataDir}`);
for (const host of hosts) console.log(`  http://${host}:${port}/`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
