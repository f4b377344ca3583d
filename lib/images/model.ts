import "server-only";
import type { UnitRates } from "@/lib/billing/prices";
import { ratesFor } from "@/lib/config";
import { getEnv } from "@/lib/env";

// Which image model this server uses and what it costs: read by the chat pages (the composer's Image mode) and by
// the generation itself, without loading what generating needs (the SDK, sharp).

/** The image model of this server (OPENAI_IMAGE_MODEL). */
export const imageModel = () => getEnv().OPENAI_IMAGE_MODEL;

/** What the composer's Image mode needs: the model and its unit prices today (a few numbers, not the price table). */
export function imageModelForChat(now = new Date()): { model: string; rates: UnitRates | null } {
  const model = imageModel();
  return { model, rates: ratesFor(model, now) };
}
