import "server-only";
import { type Env, formatEnvError, parseEnv } from "./env-schema";

let cached: Env | undefined;

/** The validated environment; throws a message naming each wrong variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.success) throw new Error(formatEnvError(result.error));
  cached = result.data;
  return cached;
}
