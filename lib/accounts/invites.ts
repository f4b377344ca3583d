// Invite links, pure. The link carries a random token; only its SHA-256 is stored, so a copy of the database holds no
// usable invite.
import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes: unguessable, and short enough for a link (43 base64url characters). */
const TOKEN_BYTES = 32;

export function newInviteToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashInviteToken(token) };
}

/** Hex SHA-256 of the token, as stored in Invite.tokenHash. */
export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function inviteLink({ origin, token }: { origin: string; token: string }): string {
  return `${origin}/sign-up?invite=${encodeURIComponent(token)}`;
}

export type InviteState = { email: string | null; expiresAt: Date; usedAt: Date | null; revokedAt: Date | null };
export type InviteStatus = "pending" | "used" | "expired" | "revoked";

/** Used and revoked win over expired: they say what happened to it. */
export function inviteStatus(invite: InviteState, now: Date): InviteStatus {
  if (invite.usedAt) return "used";
  if (invite.revokedAt) return "revoked";
  return invite.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}
