// Who may create an account, and who is an administrator: pure rules, decided by lib/db/users.ts inside the
// transaction that creates the account (so the facts they read cannot change before the account exists).
import type { ErrorKey } from "@/lib/errors";
import { type InviteState, inviteStatus } from "./invites";

export type SignupMode = "open" | "invite" | "closed";

export type SignupPolicy = {
  mode: SignupMode;
  /** Lower-cased; administrators besides stored role "admin", decided at every request. */
  adminEmails: string[];
  /** Open mode: new accounts per hour, server-wide. */
  maxPerHour: number;
};

/** The throttle's window: accounts created this long ago or less count. */
export const SIGNUP_WINDOW_MS = 60 * 60 * 1000;

/** How an account is being created: a password form, or a first OAuth sign-in (the provider vouches for the email). */
export type SignupVia = "password" | "oauth";

export type SignupFacts = {
  /** No account exists yet: this one may always be created, and becomes the administrator. */
  isFirstAccount: boolean;
  /** Accounts created within SIGNUP_WINDOW_MS. */
  recentSignups: number;
  /** The invite the link carried: undefined when none was given, null when its token matches none. */
  invite: InviteState | null | undefined;
};

export type SignupRefusal =
  | "closed"
  | "invite_required"
  | "invite_invalid"
  | "invite_used"
  | "invite_expired"
  | "invite_revoked"
  | "invite_email"
  | "admin_email"
  | "rate_limited";

/** What a refused sign-up is told: message keys (lib/i18n/messages), the same on the form and the sign-in page. */
export const SIGNUP_REFUSALS: Record<SignupRefusal, ErrorKey> = {
  closed: "errors.signupClosed",
  invite_required: "errors.signupInviteRequired",
  invite_invalid: "errors.signupInviteInvalid",
  invite_used: "errors.signupInviteUsed",
  invite_expired: "errors.signupInviteExpired",
  invite_revoked: "errors.signupInviteRevoked",
  invite_email: "errors.signupInviteEmail",
  admin_email: "errors.signupAdminEmail",
  rate_limited: "errors.signupRateLimited",
};

export type SignupDecision =
  | { isAllowed: true; role: "admin" | "user"; usesInvite: boolean }
  | { isAllowed: false; refusal: SignupRefusal };

export function isAdminEmail(email: string, adminEmails: string[]): boolean {
  return adminEmails.includes(email.trim().toLowerCase());
}

/** Administrator: the stored role (the first account), or an address in ADMIN_EMAILS as configured right now. */
export function isAdmin(user: { role: string; email: string }, adminEmails: string[]): boolean {
  return user.role === "admin" || isAdminEmail(user.email, adminEmails);
}

/**
 * Whether an account may be created. `email` undefined asks whether anyone could (the sign-up page, before the form
 * is filled). ADMIN_EMAILS bypass the mode only through OAuth, whose provider checked the address. A password sign-up
 * proves nothing about the email it claims, and an ADMIN_EMAILS address is an administrator from its first request:
 * so such an address signs up with a password only with an invite made for exactly that address.
 */
export function decideSignup({
  policy,
  email,
  via,
  facts,
  now,
}: {
  policy: SignupPolicy;
  email: string | undefined;
  via: SignupVia;
  facts: SignupFacts;
  now: Date;
}): SignupDecision {
  if (facts.isFirstAccount) return { isAllowed: true, role: "admin", usesInvite: false };
  if (via === "oauth" && email !== undefined && isAdminEmail(email, policy.adminEmails)) {
    return { isAllowed: true, role: "user", usesInvite: false };
  }
  if (policy.mode === "closed") return { isAllowed: false, refusal: "closed" };
  if (email !== undefined && isAdminEmail(email, policy.adminEmails) && !facts.invite?.email) {
    return { isAllowed: false, refusal: "admin_email" };
  }
  if (facts.invite !== undefined) {
    const refusal = inviteRefusal({ invite: facts.invite, email, now });
    if (refusal) return { isAllowed: false, refusal };
    // An administrator chose this person: the open mode's throttle does not apply.
    return { isAllowed: true, role: "user", usesInvite: true };
  }
  if (policy.mode === "invite") return { isAllowed: false, refusal: "invite_required" };
  if (facts.recentSignups >= policy.maxPerHour) return { isAllowed: false, refusal: "rate_limited" };
  return { isAllowed: true, role: "user", usesInvite: false };
}

function inviteRefusal({
  invite,
  email,
  now,
}: {
  invite: InviteState | null;
  email: string | undefined;
  now: Date;
}): SignupRefusal | null {
  if (!invite) return "invite_invalid";
  const status = inviteStatus(invite, now);
  if (status !== "pending") return `invite_${status}`;
  if (email !== undefined && invite.email !== null && invite.email !== email.trim().toLowerCase()) {
    return "invite_email";
  }
  return null;
}
