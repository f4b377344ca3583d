import "server-only";
import { getEnv } from "@/lib/env";
import { parseEmailList } from "@/lib/env-schema";
import type { SignupPolicy } from "./signup";

/** The sign-up settings of this server, read from the validated environment. */
export function signupPolicy(): SignupPolicy {
  const env = getEnv();
  return {
    mode: env.SIGNUP_MODE,
    adminEmails: parseEmailList(env.ADMIN_EMAILS ?? ""),
    maxPerHour: env.SIGNUP_MAX_PER_HOUR,
  };
}
