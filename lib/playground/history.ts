import "server-only";
import { z } from "zod";
import { abortTurn } from "@/lib/chat/active-turns";
import {
  type CompletionRunView,
  deleteCompletionRun,
  getCompletionRun,
  listCompletionRuns,
} from "@/lib/db/completion-runs";
import { requestEntryStop } from "@/lib/db/ledger";
import { appError } from "@/lib/i18n/errors";

// The playground's history and Stop, scoped to the signed-in user: someone else's run (or call) is a 404, as if it
// did not exist.

export const HISTORY_PAGE = 20;

const runIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: "errors.playgroundRunNotFound" });

export const historyQuerySchema = z.strictObject({
  before: runIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(HISTORY_PAGE),
});

export async function listPlaygroundRuns(query: { userId: string; limit: number; before?: string }) {
  const page = await listCompletionRuns(query);
  if (!page) throw appError("not_found", "errors.playgroundRunNotFound");
  return page;
}

export async function getPlaygroundRun({ id, userId }: { id: string; userId: string }): Promise<CompletionRunView> {
  const run = await getCompletionRun({ id, userId });
  if (!run) throw appError("not_found", "errors.playgroundRunNotFound");
  return run;
}

export async function deletePlaygroundRun({ id, userId }: { id: string; userId: string }) {
  if (!(await deleteCompletionRun({ id, userId }))) throw appError("not_found", "errors.playgroundRunNotFound");
}

/** Marks the user's running call stopped for whichever server runs it, and stops it here at once if it runs here. */
export async function stopPlaygroundRun({ userId, callId }: { userId: string; callId: string }) {
  if (!(await requestEntryStop({ userId, entryId: callId })))
    throw appError("not_found", "errors.playgroundNotRunning");
  abortTurn(callId);
}
