// The kinds of spend on the one ledger: every upstream call is one entry of one kind, reserved then settled the same
// way, and the usage page, the CSV and the budgets count them all. "completion": a run of the Completions playground
// (POST /v1/completions, docs/playground.md).
export const LEDGER_KINDS = ["chat", "transcription", "image", "completion"] as const;

export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * Kinds whose output is text streamed as it is generated: a call abandoned by its server is charged its prompt and
 * what it streamed up to the last heartbeat (settleAbandoned); the others, nothing to count, their worst case.
 */
export function isStreamedTextKind(kind: string): boolean {
  return kind === "chat" || kind === "completion";
}

/** Where a call was asked for: the web app, or a messaging channel (lib/channels). Kept on its entry and chat. */
export const CALL_SOURCES = ["web", "telegram", "wechat_mp", "wecom"] as const;

export type CallSource = (typeof CALL_SOURCES)[number];
