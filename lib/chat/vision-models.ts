import "server-only";
import { acceptsImages } from "@/lib/ai/models";
import { getEnv } from "@/lib/env";

// Which models take attached images on this server: OpenAI's vision models (lib/ai/models.ts) and the ids the
// operator lists in OPENAI_VISION_MODELS for OpenAI-compatible servers (docs/vision.md).

function extraVisionModels(): string[] {
  return (getEnv().OPENAI_VISION_MODELS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

export function isVisionModel(model: string): boolean {
  // OpenAI's own need no look at the environment.
  return acceptsImages(model) || acceptsImages(model, extraVisionModels());
}

/** The models of `models` that take images. */
export function visionModelsOf(models: readonly string[]): string[] {
  return models.filter(isVisionModel);
}
