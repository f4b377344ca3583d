import { describe, expect, it } from "vitest";
import { hashInviteToken, inviteLink, inviteStatus, newInviteToken } from "./invites";

describe("invite tokens", () => {
  it("are 32 random bytes in base64url, stored only as their hex SHA-256", () => {
    const { token, tokenHash } = newInviteToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash).toBe(hashInviteToken(token));
    expect(newInviteToken().token).not.toBe(token);
  });

  it("make a sign-up link", () => {
    expect(inviteLink({ origin: "https://chat.example.com", token: "abc_-1" })).toBe(
      "https://chat.example.com/sign-up?invite=abc_-1",
    );
  });
});

describe("inviteStatus", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const pending = { email: null, expiresAt: new Date("2026-12-08T12:00:00Z"), usedAt: null, revokedAt: null };

  it("is pending until it expires, then expired", () => {
    expect(inviteStatus(pending, now)).toBe("pending");
    expect(inviteStatus(pending, pending.expiresAt)).toBe("expired");
  });

  it("says used or revoked rather than expired", () => {
    const later = new Date("2027-01-01T00:00:00Z");
    expect(inviteStatus({ ...pending, usedAt: now }, later)).toBe("used");
    expect(inviteStatus({ ...pending, revokedAt: now }, later)).toBe("revoked");
  });
});
