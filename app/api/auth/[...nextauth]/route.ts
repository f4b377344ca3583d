import type { NextRequest } from "next/server";
import { handlers, signInRefusals } from "@/lib/auth";
import type { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";

export const { GET } = handlers;

/**
 * Auth.js's endpoints, except that a sign-in refused before its password was checked (rate-limited: 429 with
 * Retry-After; too many waiting for the hashing: 503) answers so, where Auth.js itself could only redirect.
 */
export async function POST(request: NextRequest) {
  const store: { refusal: AppError | null } = { refusal: null };
  const response = await signInRefusals.run(store, () => handlers.POST(request));
  return store.refusal ? errorResponse(store.refusal, "POST /api/auth") : response;
}
