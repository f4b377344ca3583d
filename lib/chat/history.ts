// Which stored messages go upstream as a conversation's history. Safe on the client: the composer's live estimate
// (components/chat/use-prompt-estimate.ts) counts exactly what the server will send.

export type HistoryMessage = { role: string; content: string; status?: string | null };

/** Failed replies never go upstream, nor do replies stopped before any text arrived; every user message does. */
export function isSentUpstream(message: HistoryMessage): boolean {
  if (message.status === "error") return false;
  return message.role === "user" || message.content.length > 0;
}
