import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { cache } from "react";
import { signupPolicy } from "@/lib/accounts/config";
import { hashInviteToken } from "@/lib/accounts/invites";
import { decideSignup, isAdmin } from "@/lib/accounts/signup";
import { authAdapter, findOAuthUser } from "@/lib/db/auth-adapter";
import {
  type Admin,
  createUser,
  endSessions,
  getActiveUser,
  getSessionVersion,
  getSignupFacts,
  getUserByEmail,
} from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { appError } from "@/lib/i18n/errors";
import { adoptVisitorLocale } from "@/lib/i18n/sign-up";
import { verifyPassword } from "@/lib/passwords";
import { clientIp, hitRateLimits, signInHits } from "@/lib/rate-limit";
import { readSession, type SessionClaims } from "@/lib/session-token";
import { PATH_HEADER, safeRedirectPath, sameOriginRedirect } from "@/lib/utils";
import { signInSchema } from "@/lib/validations";

/** OAuth providers appear only when both their variables are set (Auth.js reads AUTH_<PROVIDER>_ID/SECRET). */
export function oauthProviders(): { id: "github" | "google"; name: string }[] {
  const list: { id: "github" | "google"; name: string }[] = [];
  if (process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  return list;
}

/** Carries an invite link's token through an OAuth round trip (set by the sign-up page's OAuth buttons). */
export const INVITE_COOKIE = "chatledger-invite";

/** Why a sign-in or an OAuth sign-up was refused, as the sign-in page's ?error= code. */
export const ACCOUNT_DISABLED = "account_disabled";

class AccountDisabledError extends CredentialsSignin {
  code = ACCOUNT_DISABLED;
}

/** A sign-in refused by its rate limits (lib/rate-limit.ts) before any password was hashed. */
export class SignInRateLimitedError extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly refusal: AppError) {
    super();
  }
}

/**
 * Set around Auth.js's own credentials endpoint (app/api/auth/[...nextauth]/route.ts) so it can answer a refused
 * sign-in with 429 and Retry-After; Auth.js itself could only redirect.
 */
export const signInRefusals = new AsyncLocalStorage<{ refusal: AppError | null }>();

function noteRefusal(refusal: AppError) {
  const store = signInRefusals.getStore();
  if (store) store.refusal = refusal;
}

async function inviteTokenHashFromCookie(): Promise<string | undefined> {
  const token = (await cookies()).get(INVITE_COOKIE)?.value;
  return token ? hashInviteToken(token) : undefined;
}

const providers: NextAuthConfig["providers"] = [
  Credentials({
    credentials: { email: { type: "email" }, password: { type: "password" } },
    async authorize(raw, request) {
      const parsed = signInSchema.safeParse(raw);
      if (!parsed.success) return null;
      // Counted for every attempt, known email or not, before any hashing: a refused attempt costs no bcrypt.
      const refusal = await hitRateLimits(signInHits({ email: parsed.data.email, ip: clientIp(request.headers) }));
      if (refusal) {
        noteRefusal(refusal);
        throw new SignInRateLimitedError(refusal);
      }
      const user = await getUserByEmail(parsed.data.email);
      const matches = await verifyPassword(parsed.data.password, user?.passwordHash).catch((error: unknown) => {
        // Too many sign-ins waiting for the password hashing (lib/passwords.ts): busy, 503.
        if (error instanceof AppError) noteRefusal(error);
        throw error;
      });
      if (!matches || !user) return null;
      // Said only to whoever knows the password.
      if (user.disabledAt) throw new AccountDisabledError();
      return { id: user.id, email: user.email, name: user.name };
    },
  }),
];
for (const { id } of oauthProviders()) providers.push(id === "github" ? GitHub : Google);

const config: NextAuthConfig = {
  adapter: {
    ...authAdapter,
    // A first OAuth sign-in creates the account under the same rules as the sign-up form, decided in the same
    // transaction (the signIn callback below only checks first, to say why on the sign-in page).
    async createUser(user) {
      const created = await createUser({
        user: { email: user.email, name: user.name, image: user.image, emailVerified: user.emailVerified },
        via: "oauth",
        inviteTokenHash: await inviteTokenHashFromCookie(),
        policy: signupPolicy(),
      });
      if (!created) throw appError("conflict", "errors.accountExists");
      await adoptVisitorLocale(created.id);
      (await cookies()).delete(INVITE_COOKIE);
      return created;
    },
  },
  // JWT sessions: required by the credentials provider, and no session table to query on every request.
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers,
  callbacks: {
    async signIn({ user, account }) {
      // Credentials: authorize() decided.
      if (!account || account.type === "credentials") return true;
      const existing = await findOAuthUser({
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        email: user.email,
      });
      if (existing) return existing.disabledAt ? `/sign-in?error=${ACCOUNT_DISABLED}` : true;
      const now = new Date();
      const decision = decideSignup({
        policy: signupPolicy(),
        email: user.email ?? "",
        via: "oauth",
        facts: await getSignupFacts({ inviteTokenHash: await inviteTokenHashFromCookie(), now }),
        now,
      });
      return decision.isAllowed ? true : `/sign-in?error=${decision.refusal}`;
    },
    redirect: sameOriginRedirect,
    // The session's version (`sv`) is the user's as the session is issued, and again when the session that changed
    // the password is renewed (unstable_update); every request compares it with the user's (getActiveUser).
    async jwt({ token, user, trigger }) {
      const userId = user?.id ?? token.sub;
      if (!userId) return token;
      if (user || trigger === "update") {
        token.sv = (await getSessionVersion(userId)) ?? 0;
        return token;
      }
      // Auth.js's own session endpoint: an ended session reads as none there too (and its cookie is cleared).
      return (await getActiveUser(userId, sessionVersionOf(token))) ? token : null;
    },
    // The user's id is the JWT's subject: what readSession (lib/session-token.ts) reads too.
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
  events: {
    // Signing out ends the session for good, not just its cookie in this browser: the version it carries is retired.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token?.sub) await endSessions({ userId: token.sub, sessionVersion: sessionVersionOf(token) });
    },
  },
};

function sessionVersionOf(token: { sv?: unknown }): number {
  return typeof token.sv === "number" ? token.sv : 0;
}

/**
 * `auth` is Auth.js's own session reading (its whole session endpoint, the cookie issued again and thrown away):
 * the app reads sessions with readSessionUserId instead, and lib/session-token.test.ts checks the two agree.
 */
export const { handlers, auth, signIn, signOut, unstable_update: renewSession } = NextAuth(config);

/**
 * The session in these request headers' session cookie, or null. NextAuth() has filled `config` in (its secret
 * from AUTH_SECRET, trustHost), so the cookie is read with exactly Auth.js's name, salt and secret.
 */
export function sessionFrom(requestHeaders: Headers): Promise<SessionClaims | null> {
  return readSession({ headers: requestHeaders, config });
}

/** The user id in these request headers' session cookie, or null; not yet checked against the user (sessionFrom). */
export async function sessionUserIdFrom(requestHeaders: Headers): Promise<string | null> {
  return (await sessionFrom(requestHeaders))?.userId ?? null;
}

/**
 * The signed-in user, or null: no session, a session ended since (signed out, the password changed), or one whose
 * account was deleted or disabled (so a disabled user's open session is refused exactly like a signed-out visitor).
 * One query, once per request: every page, route handler and server action finds its user here.
 */
const getSessionUser = cache(async () => {
  const session = await sessionFrom(await headers());
  return session ? getActiveUser(session.userId, session.sessionVersion) : null;
});

/** The signed-in user's saved interface language, or null (signed out, or following the browser). */
export async function getSessionLocale(): Promise<string | null> {
  return (await getSessionUser())?.locale ?? null;
}

/** The signed-in user's id, or null. */
export async function getSessionUserId(): Promise<string | null> {
  return (await getSessionUser())?.id ?? null;
}

export async function requireUserId(): Promise<string> {
  const id = await getSessionUserId();
  if (!id) throw appError("unauthorized", "errors.signInRequired");
  return id;
}

/** The sign-in page, coming back to the page that was asked for (set by proxy.ts) once signed in. */
async function signInPath(): Promise<string> {
  const asked = safeRedirectPath((await headers()).get(PATH_HEADER), "/");
  return asked === "/" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(asked)}`;
}

/** For pages: the signed-in user, or a redirect to the sign-in page (and back here afterwards). */
export async function requirePageUser() {
  const user = await getSessionUser();
  if (!user) redirect(await signInPath());
  return { ...user, isAdmin: isAdmin(user, signupPolicy().adminEmails) };
}

/** For pages: the signed-in user's id, or a redirect to the sign-in page. */
export async function requirePageUserId(): Promise<string> {
  return (await requirePageUser()).id;
}

/** For administrator actions: the acting administrator, checked again by every lib/db function they call. */
export type { Admin };

export async function requireAdmin(): Promise<Admin> {
  const user = await getSessionUser();
  if (!user) throw appError("unauthorized", "errors.signInRequired");
  const { adminEmails } = signupPolicy();
  if (!isAdmin(user, adminEmails)) throw appError("forbidden", "errors.adminOnly");
  return { userId: user.id, adminEmails };
}

/** For administrator pages: signed out → sign-in; not an administrator → 404, as if the page did not exist. */
export async function requireAdminPage(): Promise<Admin> {
  const user = await requirePageUser();
  if (!user.isAdmin) notFound();
  return { userId: user.id, adminEmails: signupPolicy().adminEmails };
}
