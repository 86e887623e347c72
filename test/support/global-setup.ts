import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Every test suite runs against real Temporal binaries; install them once (idempotent, no download at run time). */
export default function globalSetup(): void {
  execFileSync('bash', [resolve(__dirname, '../../scripts/install-temporal')], { stdio: 'inherit' });
}
