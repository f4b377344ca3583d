// The environment's shape, shared by the server (lib/env.ts) and the set-up script. No "server-only" here because
// scripts import it; it holds rules, never values.
import { z } from "zod";
import { DEFAULT_MODEL } from "./ai/models";
import { parseExchangeRate } from "./billing/cost";
import { parseModelPricesEnv, parseUsdPer1M } from "./billing/prices";

/** A refinement that runs a throwing parser and reports its message. */
function parsedBy(parse: (value: string) => unknown) {
  return (value: string, ctx: z.RefinementCtx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  };
}

export const envSchema = z.object({
  OPENAI_API_KEY: z.string().trim().optional(),
  OPENAI_BASE_URL: z
    .url({ message: "must be a URL such as https://api.openai.com/v1 or http://localhost:11434/v1" })
    .optional(),
  OPENAI_MODEL: z.string().trim().min(1).default(DEFAULT_MODEL),
  OPENAI_MODELS: z.string().trim().optional(),
  AUTH_SECRET: z
    .string({ message: "is missing: run `npm run setup` to generate one into .env.local" })
    .min(32, { message: "must be at least 32 characters: generate one with `openssl rand -base64 33`" }),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(file:|postgres(ql)?:\/\/)/i, {
      message: 'must start with "file:" (embedded SQLite) or "postgres://" (PostgreSQL)',
    })
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Price overrides for custom or OpenAI-compatible models, JSON (docs/pricing.md).
  MODEL_PRICES: z.string().trim().superRefine(parsedBy(parseModelPricesEnv)).optional(),
  // Second currency shown beside USD: CODE:RATE_PER_USD:YYYY-MM-DD, e.g. CNY:7.1234:2026-11-01.
  DISPLAY_CURRENCY: z.string().trim().superRefine(parsedBy(parseExchangeRate)).optional(),
  // Monthly budget for users who have not chosen one: USD amount or "unlimited".
  DEFAULT_MONTHLY_BUDGET_USD: z
    .string()
    .trim()
    .default("10")
    .superRefine(parsedBy((value) => (value.toLowerCase() === "unlimited" ? null : parseUsdPer1M(value)))),
});

export type Env = z.infer<typeof envSchema>;

/** Empty strings count as unset, as in most .env files. */
export function parseEnv(source: Record<string, string | undefined>) {
  const raw = Object.fromEntries(Object.entries(source).map(([key, value]) => [key, value === "" ? undefined : value]));
  return envSchema.safeParse(raw);
}

export function formatEnvError(error: z.ZodError): string {
  const lines = error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
  return `Invalid environment (see .env.example):\n${lines.join("\n")}`;
}
