import { requireUserId } from "@/lib/auth";
import { ledgerCsv, usageExportParamsSchema, utcDay } from "@/lib/billing/report";
import { exportLedgerEntries } from "@/lib/db/usage";
import { downloadHeaders, errorResponse, streamedResponse } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";

export const dynamic = "force-dynamic";

/**
 * The signed-in user's ledger as CSV, one row per entry, oldest first (columns and their rules: ledgerCsv in
 * lib/billing/report.ts). ?range=30d|month|all, default all. Streamed a batch at a time.
 */
export async function GET(request: Request) {
  try {
    const userId = await requireUserId();
    const parsed = usageExportParamsSchema.safeParse({
      range: new URL(request.url).searchParams.get("range") ?? undefined,
    });
    if (!parsed.success) throw appError("bad_request", "errors.usageRange");
    const now = new Date();
    const batches = exportLedgerEntries({ userId, range: parsed.data.range, now });
    async function* csv() {
      let header = true;
      for await (const batch of batches) {
        yield ledgerCsv(batch, { header });
        header = false;
      }
      if (header) yield ledgerCsv([], { header });
    }
    return await streamedResponse(csv(), {
      headers: downloadHeaders({
        name: `chatledger-usage-${utcDay(now)}`,
        extension: "csv",
        contentType: "text/csv; charset=utf-8",
      }),
      context: "GET /api/usage/export",
    });
  } catch (error) {
    return errorResponse(error, "GET /api/usage/export");
  }
}
