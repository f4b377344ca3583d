import "server-only";
import { findRates, parseModelPricesEnv, type UnitRates } from "@/lib/billing/prices";
import { getEnv } from "@/lib/env";

// Which image model this server uses and what it costs: read by the chat pages (the composer's Image mode) and by
// the generation itself, without loading what generating needs (the SDK, sharp).

/** The image model of this server (OPENAI_IMAGE_MODEL). */
export const imageModel = () => getEnv().OPENAI_IMAGE_MODEL;

/** The image model's unit prices in force on `at`, MODEL_PRICES first, as chat prices are found (lib/config.ts). */
export function imageRates(model: string, at: Date): UnitRates | null {
  return findRates({ model, at, overrides: { env: parseModelPricesEnv(getEnv().MODEL_PRICES) } });
}

/** What the composer's Image mode needs: the model and its unit prices today (a few numbers, not the price table). */
export function imageModelForChat(now = new Date()): { model: string; rates: UnitRates | null } {
  const model = imageModel();
  return { model, rates: imageRates(model, now) };
}
