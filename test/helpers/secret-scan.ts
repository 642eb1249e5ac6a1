/**
 * Every log line a test saw, searched for every secret the test configured or sent: private
 * keys (and their base64 body lines), tokens, client secrets, full signatures. Returns one line
 * per hit, naming the log message (never the secret).
 */
export function scanForSecrets(lines: ReadonlyArray<Record<string, unknown>>, secrets: Iterable<string>): string[] {
  const needles: string[] = [];
  for (const s of secrets) {
    if (s.includes('-----BEGIN')) {
      // a PEM leaks if any of its base64 body lines shows up
      needles.push(...s.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')));
    } else if (s.length >= 12) {
      needles.push(s);
    }
  }
  const hits: string[] = [];
  for (const line of lines) {
    const text = JSON.stringify(line);
    const found = needles.find((n) => text.includes(n));
    if (found !== undefined) hits.push(`log line "${String(line.message)}" carries a secret of ${found.length} characters`);
  }
  return hits;
}
