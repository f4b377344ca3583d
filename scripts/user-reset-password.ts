// npm run user:reset-password -- <email>
// Sets a new password for an account and ends all its sessions (docs/auth.md). The password is read from stdin
// when one is piped in (`echo 'new password' | npm run user:reset-password -- a@example.com`), otherwise a random
// one is made and printed, for the user to sign in with once and change in Settings.
import { loadEnvConfig } from "@next/env";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function main() {
  loadEnvConfig(process.cwd());
  const email = process.argv[2]?.trim();
  if (!email || process.argv.length > 3) {
    console.error("usage: npm run user:reset-password -- <email>   (a new password on stdin, or one is generated)");
    return 2;
  }
  const { hashPassword, randomPassword } = await import("../lib/passwords");
  const { setPassword } = await import("../lib/db/users");
  const { passwordSchema } = await import("../lib/validations");
  const { prisma } = await import("../lib/db/client");
  try {
    const piped = process.stdin.isTTY ? "" : await readStdin();
    const password = piped || randomPassword();
    if (piped && !passwordSchema.safeParse(piped).success) {
      console.error(
        "That password does not meet the sign-up rules (npm run user:reset-password without one makes one).",
      );
      return 1;
    }
    const version = await setPassword({ email }, await hashPassword(password));
    if (version === null) {
      console.error(`No account with the email ${email}.`);
      return 1;
    }
    console.log(`Password of ${email} reset; all its sessions have ended.`);
    if (!piped) console.log(`New password: ${password}`);
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
