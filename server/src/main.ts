import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { lanAddresses } from './http/origin.js';

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
