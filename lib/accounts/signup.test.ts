import { describe, expect, it } from "vitest";
import { decideSignup, isAdmin, type SignupFacts, type SignupPolicy, type SignupVia } from "./signup";

const now = new Date("2026-12-01T12:00:00Z");
const policy: SignupPolicy = { mode: "invite", adminEmails: ["boss@example.com"], maxPerHour: 3 };
const noInvite: SignupFacts = { isFirstAccount: false, recentSignups: 0, invite: undefined };
const invite = { email: null, expiresAt: new Date("2026-12-08T12:00:00Z"), usedAt: null, revokedAt: null };

function decide(
  overrides: Partial<SignupPolicy>,
  facts: Partial<SignupFacts>,
  email = "ada@example.com",
  via: SignupVia = "password",
) {
  return decideSignup({ policy: { ...policy, ...overrides }, email, via, facts: { ...noInvite, ...facts }, now });
}

describe("decideSignup", () => {
  it("always lets the first account in, as the administrator, in every mode", () => {
    for (const mode of ["open", "invite", "closed"] as const) {
      expect(decide({ mode }, { isFirstAccount: true, recentSignups: 99 })).toEqual({
        isAllowed: true,
        role: "admin",
        usesInvite: false,
      });
    }
  });

  it("closed: nobody else, not even with an invite", () => {
    expect(decide({ mode: "closed" }, {})).toEqual({ isAllowed: false, refusal: "closed" });
    expect(decide({ mode: "closed" }, { invite })).toEqual({ isAllowed: false, refusal: "closed" });
  });

  it("invite: needs a pending invite, for this address when it names one", () => {
    expect(decide({}, {})).toEqual({ isAllowed: false, refusal: "invite_required" });
    expect(decide({}, { invite })).toEqual({ isAllowed: true, role: "user", usesInvite: true });
    expect(decide({}, { invite: null })).toEqual({ isAllowed: false, refusal: "invite_invalid" });
    expect(decide({}, { invite: { ...invite, usedAt: now } })).toMatchObject({ refusal: "invite_used" });
    expect(decide({}, { invite: { ...invite, revokedAt: now } })).toMatchObject({ refusal: "invite_revoked" });
    expect(decide({}, { invite: { ...invite, expiresAt: now } })).toMatchObject({ refusal: "invite_expired" });
    const forAda = { ...invite, email: "ada@example.com" };
    expect(decide({}, { invite: forAda }, "Ada@Example.com")).toMatchObject({ isAllowed: true });
    expect(decide({}, { invite: forAda }, "eve@example.com")).toMatchObject({ refusal: "invite_email" });
  });

  it("asked before the email is known (the sign-up page), checks everything but the address", () => {
    const forAda = { ...invite, email: "ada@example.com" };
    expect(
      decideSignup({ policy, email: undefined, via: "password", facts: { ...noInvite, invite: forAda }, now }),
    ).toMatchObject({ isAllowed: true });
  });

  it("open: anyone, up to the hourly limit; an invite skips the limit", () => {
    expect(decide({ mode: "open" }, { recentSignups: 2 })).toEqual({
      isAllowed: true,
      role: "user",
      usesInvite: false,
    });
    expect(decide({ mode: "open" }, { recentSignups: 3 })).toEqual({ isAllowed: false, refusal: "rate_limited" });
    expect(decide({ mode: "open" }, { recentSignups: 3, invite })).toMatchObject({ isAllowed: true, usesInvite: true });
  });

  it("lets ADMIN_EMAILS in through OAuth in every mode", () => {
    for (const mode of ["open", "invite", "closed"] as const) {
      expect(decide({ mode }, {}, "Boss@example.com", "oauth")).toEqual({
        isAllowed: true,
        role: "user",
        usesInvite: false,
      });
    }
  });

  it("lets an ADMIN_EMAILS address sign up with a password only with an invite made for that address", () => {
    const refused = { isAllowed: false, refusal: "admin_email" };
    expect(decide({ mode: "open" }, {}, "boss@example.com")).toEqual(refused);
    expect(decide({ mode: "invite" }, { invite }, "boss@example.com")).toEqual(refused);
    expect(
      decide({ mode: "invite" }, { invite: { ...invite, email: "boss@example.com" } }, "Boss@example.com"),
    ).toEqual({
      isAllowed: true,
      role: "user",
      usesInvite: true,
    });
    expect(decide({ mode: "closed" }, {}, "boss@example.com")).toEqual({ isAllowed: false, refusal: "closed" });
  });
});

describe("isAdmin", () => {
  it("is the stored role or an address in ADMIN_EMAILS as configured now", () => {
    expect(isAdmin({ role: "admin", email: "first@example.com" }, [])).toBe(true);
    expect(isAdmin({ role: "user", email: "Boss@Example.com" }, ["boss@example.com"])).toBe(true);
    expect(isAdmin({ role: "user", email: "boss@example.com" }, [])).toBe(false);
  });
});
