import { requireUserId } from "@/lib/auth";
import { ledgerCsv, usageExportParamsSchema, utcDay } from "@/lib/billing/report";
import { exportLedgerEntries } from "@/lib/db/usage";
import { AppError } from "@/lib/errors";
import { errorResponse, logUnexpected } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * The signed-in user's ledger as CSV, one row per entry, oldest first (columns and their rules: ledgerCsv in
 * lib/billing/report.ts). ?range=30d|month|all, default all. Streamed a batch at a time; the first batch is read
 * before answering, so a failure then is a proper error response rather than a truncated file.
 */
export async function GET(request: Request) {
  try {
    const userId = await requireUserId();
    const parsed = usageExportParamsSchema.safeParse({
      range: new URL(request.url).searchParams.get("range") ?? undefined,
    });
    if (!parsed.success) throw new AppError("bad_request", 'range must be "30d", "month" or "all".');
    const now = new Date();
    const batches = exportLedgerEntries({ userId, range: parsed.data.range, now });
    const first = await batches.next();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(ledgerCsv(first.done ? [] : first.value, { header: true })));
        if (first.done) controller.close();
      },
      async pull(controller) {
        try {
          const next = await batches.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(ledgerCsv(next.value, { header: false })));
        } catch (error) {
          // Headers are sent by now: all that is left is to fail the download visibly and log why.
          logUnexpected("GET /api/usage/export, mid-stream", error);
          controller.error(error);
        }
      },
      async cancel() {
        await batches.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="chatledger-usage-${utcDay(now)}.csv"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    return errorResponse(error, "GET /api/usage/export");
  }
}
