import { getLocale } from "next-intl/server";
import { languageHint, transcribeAudio } from "@/lib/audio/transcribe";
import { readAudioUpload } from "@/lib/audio/upload";
import { requireUserId } from "@/lib/auth";
import { budgetPolicy } from "@/lib/config";
import { errorResponse } from "@/lib/http";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { refuseCrossSite } from "@/lib/security/guard";

export const dynamic = "force-dynamic";
// The longest a serverless host (Vercel) lets this function run: a reply, an image or a transcription ends, is
// settled and stored within it (CHAT_MAX_DURATION_SECONDS in lib/env-schema.ts; a literal, as Next reads it).
export const maxDuration = 300;

/**
 * Transcribes one audio file (multipart/form-data: the audio in `file`, as OpenAI's endpoint takes it; optional
 * `conversationId`, `language`, `prompt`). Signed in first, then the upload is read with its 25 MB limit enforced as
 * it arrives, its format and duration checked, and only then is anything reserved or sent (lib/audio/transcribe.ts).
 * The audio is never stored. Answers `{ text, seconds, isDurationBounded, cost, entryId, model }`.
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await enforceUserRateLimit("upload", userId);
    const upload = await readAudioUpload(request);
    const result = await transcribeAudio({
      userId,
      conversationId: upload.fields.conversationId || null,
      audio: { bytes: upload.bytes, fileName: upload.fileName },
      language: upload.fields.language || languageHint(await getLocale()),
      prompt: upload.fields.prompt,
      policy: budgetPolicy(),
      now: new Date(),
    });
    return Response.json({
      text: result.text,
      seconds: result.seconds,
      isDurationBounded: result.isDurationBounded,
      cost: result.cost,
      entryId: result.entryId,
      model: result.model,
    });
  } catch (error) {
    return errorResponse(error, "POST /api/audio/transcriptions");
  }
}
