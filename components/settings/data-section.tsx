"use client";

import { useState } from "react";
import { announceConversationsChanged } from "@/components/chat/events";
import { Button } from "@/components/ui/button";
import { AppError } from "@/lib/errors";
import { MAX_IMPORT_BYTES } from "@/lib/input-rules";

type Imported = { conversations: number; messages: number; skippedLedgerEntries: number };

type Outcome = { imported: Imported } | { error: string } | null;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

function importedSummary({ conversations, messages, skippedLedgerEntries }: Imported): string {
  const summary = `Imported ${plural(conversations, "conversation")} (${plural(messages, "message")}).`;
  if (skippedLedgerEntries === 0) return summary;
  return `${summary} ${plural(skippedLedgerEntries, "ledger entry", "ledger entries")} left out: spend stays with the server it was spent on.`;
}

/** Settings → Your data: download everything as one JSON archive, or add an archive's conversations to this account. */
export function DataSection() {
  const [file, setFile] = useState<File | null>(null);
  const [isImporting, setIsImporting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function importArchive(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      setOutcome({ error: `This file is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB an import may be.` });
      return;
    }
    setIsImporting(true);
    setOutcome(null);
    try {
      const response = await fetch("/api/import", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: file,
      });
      const body: unknown = await response.json().catch(() => null);
      if (response.ok) {
        setOutcome(body as { imported: Imported });
        announceConversationsChanged();
      } else {
        setOutcome({ error: AppError.fromBody(body)?.message ?? `The import failed (${response.status}).` });
      }
    } catch {
      setOutcome({ error: "The import could not reach the server. Nothing was imported; try again." });
    } finally {
      setIsImporting(false);
    }
  }

  return (
    <section className="flex flex-col gap-4 rounded-2xl border border-zinc-200 p-6">
      <div>
        <h2 className="text-lg font-semibold">Your data</h2>
        <p className="mt-1 text-sm text-zinc-600">
          Export all your conversations with their messages, your settings and your ledger as one JSON archive.
          Importing an archive adds its conversations to this account as new chats; its ledger stays behind, since money
          spent on another server does not count against this one&apos;s budgets.
        </p>
      </div>
      <div>
        <a
          href="/api/export"
          download
          className="inline-flex rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm font-medium hover:bg-zinc-50"
        >
          Export all data
        </a>
      </div>
      <form onSubmit={importArchive} className="flex flex-col gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Archive to import
          <input
            type="file"
            accept="application/json,.json"
            onChange={(event) => {
              setFile(event.currentTarget.files?.[0] ?? null);
              setOutcome(null);
            }}
            className="text-sm font-normal file:mr-3 file:rounded-lg file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-zinc-50"
          />
        </label>
        <div>
          <Button type="submit" variant="secondary" disabled={!file || isImporting}>
            {isImporting ? "Importing…" : "Import"}
          </Button>
        </div>
        {outcome && "imported" in outcome ? (
          <p role="status" className="text-sm text-emerald-700">
            {importedSummary(outcome.imported)}
          </p>
        ) : null}
        {outcome && "error" in outcome ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
            {outcome.error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
