/**
 * Jest setup for the integration tests: puts scripts/test-env into process.env (values already
 * set win), so every spec, and every script or process a spec starts, uses the tests' own MariaDB,
 * Kafka, lab and sshd — never the local system's of scripts/up — also when a spec runs on its own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';

const REPO = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));

export function testServiceEnv(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of readFileSync(`${REPO}/scripts/test-env`, 'utf8').split('\n')) {
    const setting = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (setting) entries[setting[1]!] = setting[2]!.replaceAll('$REPO', REPO);
  }
  return entries;
}

for (const [name, value] of Object.entries(testServiceEnv())) process.env[name] ??= value;
