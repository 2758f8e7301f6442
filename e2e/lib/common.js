// What the browser suites share besides waiting: the browser they drive, a tag unique to the
// run, bounded JSON requests, and stopping the demo they started.
import { sleep } from './wait.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Every wait is bounded by this. */
export const WAIT_MS = 10_000;
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Five digits unique to this run, put into numbers so that nothing left over can match. */
export const RUN = String(Date.now() % 100_000).padStart(5, '0');

/** GET `url` as JSON within WAIT_MS; a status other than success throws with the body. */
export async function getJson(url, headers = {}) {
  const r = await fetch(url, { headers, signal: AbortSignal.timeout(WAIT_MS) });
  const text = await r.text();
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** POST `body` as JSON within WAIT_MS; a status other than success throws with the body. */
export async function postJson(url, body, headers = {}) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`POST ${url} ${JSON.stringify(body)}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** Stops `child` (SIGTERM, then SIGKILL after 5 s); `exited` resolves when it has. */
export async function stopProcess(child, exited) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const gone = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!gone) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}
