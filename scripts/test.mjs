#!/usr/bin/env node
// `npm test`: make sure what the suite needs is here (Chromium, poppler's pdftotext, Redis,
// PostgreSQL, the built web app), then run every test.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A program the suite runs, and the Debian package that brings it. */
const NEEDS = [
  { what: 'Chromium (browser tests)', present: () => existsSync(CHROMIUM), packages: ['chromium', 'fonts-dejavu-core'] },
  { what: 'pdftotext (PDF minutes tests)', present: () => existsSync('/usr/bin/pdftotext'), packages: ['poppler-utils'] },
  { what: 'unzip (DOCX minutes tests)', present: () => existsSync('/usr/bin/unzip'), packages: ['unzip'] },
  { what: 'Redis (cluster tests)', present: () => existsSync('/usr/bin/redis-server'), packages: ['redis-server'] },
  { what: 'PostgreSQL (cluster tests)', present: () => postgresBin() !== null, packages: ['postgresql'] },
];

/** Debian keeps the server binaries under /usr/lib/postgresql/<major>/bin. */
function postgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const v of readdirSync(base).sort().reverse()) if (existsSync(`${base}/${v}/bin/postgres`)) return `${base}/${v}/bin`;
  return null;
}

function run(cmd) {
  execSync(cmd, { stdio: 'inherit' });
}

function ensureSystemPackages() {
  const missing = NEEDS.filter((n) => !n.present());
  if (missing.length === 0) return;
  const packages = missing.flatMap((n) => n.packages);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`The tests need ${missing.map((n) => n.what).join(', ')}: run \`sudo apt-get install -y ${packages.join(' ')}\`, then npm test again.`);
    process.exit(1);
  }
  console.log(`Installing from Debian packages for the tests: ${packages.join(', ')}…`);
  run('apt-get update -qq');
  // The tests start their own Redis and PostgreSQL on loopback ports; the packages' services are not used.
  run(`DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`);
}

ensureSystemPackages();
// The browser tests drive the built app that the server serves.
run('npm run build --silent');
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
