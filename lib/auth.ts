import "server-only";
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
import { type Admin, createUser, getActiveUser, getSignupFacts, getUserByEmail } from "@/lib/db/users";
import { appError } from "@/lib/i18n/errors";
import { adoptVisitorLocale } from "@/lib/i18n/sign-up";
import { verifyPassword } from "@/lib/passwords";
import { readSessionUserId } from "@/lib/session-token";
import { PATH_HEADER, safeRedirectPath } from "@/lib/utils";
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

async function inviteTokenHashFromCookie(): Promise<string | undefined> {
  const token = (await cookies()).get(INVITE_COOKIE)?.value;
  return token ? hashInviteToken(token) : undefined;
}

const providers: NextAuthConfig["providers"] = [
  Credentials({
    credentials: { email: { type: "email" }, password: { type: "password" } },
    async authorize(raw) {
      const parsed = signInSchema.safeParse(raw);
      if (!parsed.success) return null;
      const user = await getUserByEmail(parsed.data.email);
      if (!(await verifyPassword(parsed.data.password, user?.passwordHash)) || !user) return null;
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
    // The user's id is the JWT's subject: what readSessionUserId (lib/session-token.ts) reads too.
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
};

/**
 * `auth` is Auth.js's own session reading (its whole session endpoint, the cookie issued again and thrown away):
 * the app reads sessions with readSessionUserId instead, and lib/session-token.test.ts checks the two agree.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(config);

/**
 * The signed-in user's id from these request headers' session cookie, or null. NextAuth() has filled `config` in
 * (its secret from AUTH_SECRET, trustHost), so the cookie is read with exactly Auth.js's name, salt and secret.
 */
export function sessionUserIdFrom(requestHeaders: Headers): Promise<string | null> {
  return readSessionUserId({ headers: requestHeaders, config });
}

/**
 * The signed-in user, or null: no session, or a session whose account was deleted or disabled since (so a disabled
 * user's open session is refused exactly like a signed-out visitor). One query, once per request.
 */
const getSessionUser = cache(async () => {
  const id = await sessionUserIdFrom(await headers());
  return id ? getActiveUser(id) : null;
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
