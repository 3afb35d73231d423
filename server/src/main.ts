import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { lanAddresses } from './http/origin.js';
import { logsInfo } from './ops/logger.js';
import { stopOnSignals } from './ops/signals.js';

const config = configFromEnv();
const app = await createApp(config);
const port = app.port();
const hosts = config.host === '0.0.0.0' ? ['localhost', ...lanAddresses()] : [config.host];
const urls = hosts.map((host) => `http://${host}:${port}/`);
// Never print the database password: only where the data lives.
const data = config.databaseUrl ? `PostgreSQL at ${databaseHost(config.databaseUrl)}` : config.dataDir;
// With info logs on, stdout is JSON lines only; otherwise the facilitator reads a plain banner.
if (logsInfo(config.logLevel)) app.log.info({ data, urls }, 'Kenes is running');
else {
  console.log(`Kenes is running. Data: ${data}`);
  for (const url of urls) console.log(`  ${url}`);
}

stopOnSignals(app, config.shutdownTimeoutMs);

function databaseHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(DATABASE_URL)';
  }
}
