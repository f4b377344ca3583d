import "server-only";
import bcrypt from "bcryptjs";

// Cost 12: about 0.2 s per hash on one core, the usual floor for interactive sign-in in 2026.
const BCRYPT_COST = 12;
// Compared against when the email is unknown, so a miss takes as long as a wrong password.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5e4bJ2VHjGZKWmAyAqhjqYUEpKpZpZC";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return matches && Boolean(hash);
}
