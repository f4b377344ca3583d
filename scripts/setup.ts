// First-run and build-time preparation: makes sure .env.local has an AUTH_SECRET (generated, never committed),
// validates the environment, generates the Prisma client for DATABASE_URL's provider and applies migrations.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { loadEnvConfig } from "@next/env";
import { formatEnvError, parseEnv } from "../lib/env-schema";

const root = path.resolve(__dirname, "..");
const envFile = path.join(root, ".env.local");

function ensureLocalSecrets() {
  // Hosted deployments (Vercel) set their variables in the dashboard; never write files there.
  if (process.env.VERCEL) return;
  const additions: string[] = [];
  if (!process.env.AUTH_SECRET) {
    additions.push(`AUTH_SECRET=${randomBytes(33).toString("base64")}`);
  }
  if (!process.env.AUTH_TRUST_HOST) additions.push("AUTH_TRUST_HOST=true");
  if (additions.length === 0) return;
  const existing = fs.existsSync(envFile) ? fs.readFileSync(envFile, "utf8") : "";
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  fs.writeFileSync(
    envFile,
    `${existing}${separator}# Written by npm run setup on ${new Date().toISOString()}\n${additions.join("\n")}\n`,
    { mode: 0o600 },
  );
  console.log(`setup: wrote ${additions.map((line) => line.split("=")[0]).join(", ")} to .env.local`);
}

loadEnvConfig(root);
ensureLocalSecrets();
loadEnvConfig(root, false, console, true);

const result = parseEnv(process.env);
if (!result.success) {
  console.error(formatEnvError(result.error));
  process.exit(1);
}
if (!result.data.OPENAI_API_KEY) {
  console.log("setup: OPENAI_API_KEY is not set; the app will start and ask for it when you send a message.");
}

const tsx = path.join(root, "node_modules", ".bin", "tsx");
for (const command of ["generate", "deploy"]) {
  execFileSync(tsx, [path.join(root, "scripts", "db.ts"), command], { stdio: "inherit", cwd: root });
}
