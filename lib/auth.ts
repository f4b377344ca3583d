import "server-only";
import { redirect } from "next/navigation";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { authAdapter, userExists } from "@/lib/db/auth-adapter";
import { getUserByEmail } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/passwords";
import { signInSchema } from "@/lib/validations";

/** OAuth providers appear only when both their variables are set (Auth.js reads AUTH_<PROVIDER>_ID/SECRET). */
export function oauthProviders(): { id: "github" | "google"; name: string }[] {
  const list: { id: "github" | "google"; name: string }[] = [];
  if (process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  return list;
}

const providers: NextAuthConfig["providers"] = [
  Credentials({
    credentials: { email: { type: "email" }, password: { type: "password" } },
    async authorize(raw) {
      const parsed = signInSchema.safeParse(raw);
      if (!parsed.success) return null;
      const user = await getUserByEmail(parsed.data.email);
      if (!(await verifyPassword(parsed.data.password, user?.passwordHash))) return null;
      return user ? { id: user.id, email: user.email, name: user.name } : null;
    },
  }),
];
for (const { id } of oauthProviders()) providers.push(id === "github" ? GitHub : Google);

export const { handlers, auth, signIn, signOut } = NextAuth({
  adapter: authAdapter,
  // JWT sessions: required by the credentials provider, and no session table to query on every request.
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in" },
  providers,
  callbacks: {
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});

/** The signed-in user's id, or null. A token whose user was deleted counts as signed out. */
export async function getSessionUserId(): Promise<string | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id || !(await userExists(id))) return null;
  return id;
}

export async function requireUserId(): Promise<string> {
  const id = await getSessionUserId();
  if (!id) throw new AppError("unauthorized", "Sign in to continue.");
  return id;
}

/** For pages: the signed-in user's id, or a redirect to the sign-in page. */
export async function requirePageUserId(): Promise<string> {
  const id = await getSessionUserId();
  if (!id) redirect("/sign-in");
  return id;
}
