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
// With info logs on, stdout is JSON lines only; otherwise the facilitator reads a plain banner.
if (logsInfo(config.logLevel)) app.log.info({ dataDir: config.dataDir, urls }, 'Kenes is running');
else {
  console.log(`Kenes is running. Data: ${config.dataDir}`);
  for (const url of urls) console.log(`  ${url}`);
}

stopOnSignals(app, config.shutdownTimeoutMs);
