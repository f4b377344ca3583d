/** "2026-11-22", in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
