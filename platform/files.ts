/**
 * Files the service writes (secrets, the embedded databases, the mail outbox, the dev server's
 * SQLite) hold household data or keys: readable by the service's own user only. Entry points call
 * this first; child processes (the dev server) inherit it.
 */
export function restrictFileModes(): void {
  process.umask(0o077);
}
