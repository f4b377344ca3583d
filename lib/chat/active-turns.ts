import "server-only";
import { countTokensOffThread } from "@/lib/billing/token-pool";
import type { Encoding } from "@/lib/billing/tokens";
import { listExistingConversationIds } from "@/lib/db/conversations";
import { listStopRequested, renewLeases, sweepAbandonedReservations } from "@/lib/db/ledger";
import { logUnexpected } from "@/lib/http";

// The upstream calls running in this server process. Every HEARTBEAT_MS the process renews their reservations'
// leases in one transaction and records how much each has streamed, so that if it dies the reservations lapse within
// seconds (LEASE_MS, lib/db/ledger.ts) and are charged what was streamed. The same beat stops calls whose conversation
// was deleted, or whose user pressed Stop, on another server; on this one both stop them at once (abortTurnsOf). The
// browser going away stops nothing: the call ends by itself or by its timeouts. Kept on globalThis: Next may load this
// module once per route bundle, and the registry must be one per process.

export const HEARTBEAT_MS = 3_000;
/** Every this many beats (and at start-up), abandoned reservations of any user are settled. */
const SWEEP_EVERY_BEATS = 10;

type ActiveTurn = {
  entryId: string;
  userId: string;
  /** null for a call outside any conversation (a transcription before the chat exists, a bot's voice note). */
  conversationId: string | null;
  encoding: Encoding;
  controller: AbortController;
  /** Text streamed since the last beat, not yet counted. */
  pending: string;
  streamedTokens: number;
};

type Registry = { turns: Map<string, ActiveTurn>; timer: NodeJS.Timeout | null; beats: number; isBeating: boolean };

const holder = globalThis as { __chatledgerActiveTurns?: Registry };
holder.__chatledgerActiveTurns ??= { turns: new Map(), timer: null, beats: 0, isBeating: false };
const registry = holder.__chatledgerActiveTurns;

export type TurnHandle = {
  /** Aborted when the conversation is deleted (reason DELETED) or the user presses Stop (reason STOPPED). */
  signal: AbortSignal;
  /** Records streamed text, counted at the next beat. */
  addStreamed(text: string): void;
  /** The call has ended (whatever the outcome): stop renewing its lease. */
  end(): void;
};

export function registerTurn({
  entryId,
  userId,
  conversationId,
  encoding,
}: {
  entryId: string;
  userId: string;
  conversationId: string | null;
  encoding: Encoding;
}): TurnHandle {
  const turn: ActiveTurn = {
    entryId,
    userId,
    conversationId,
    encoding,
    controller: new AbortController(),
    pending: "",
    streamedTokens: 0,
  };
  registry.turns.set(entryId, turn);
  ensureBeating();
  return {
    signal: turn.controller.signal,
    addStreamed: (text) => {
      turn.pending += text;
    },
    end: () => {
      registry.turns.delete(entryId);
    },
  };
}

export const DELETED = "deleted";
export const STOPPED = "stopped";

/** Stops this process's calls in a conversation (it was deleted, or its user pressed Stop). Returns how many. */
export function abortTurnsOf(conversationId: string, reason: typeof DELETED | typeof STOPPED = DELETED): number {
  let count = 0;
  for (const turn of registry.turns.values()) {
    if (turn.conversationId !== conversationId) continue;
    turn.controller.abort(reason);
    count++;
  }
  return count;
}

/** Stops this process's call of that ledger entry, if it runs here (Stop of a playground run). Whether it did. */
export function abortTurn(entryId: string, reason: typeof STOPPED = STOPPED): boolean {
  const turn = registry.turns.get(entryId);
  turn?.controller.abort(reason);
  return turn !== undefined;
}

/** Stops this process's calls paying with these ledger entries (a comparison's, on Stop). Returns how many. */
export function abortTurns(entryIds: readonly string[], reason: typeof STOPPED = STOPPED): number {
  return entryIds.filter((entryId) => abortTurn(entryId, reason)).length;
}

function ensureBeating() {
  if (registry.timer) return;
  registry.timer = setInterval(() => void beat(), HEARTBEAT_MS);
  // Never keeps a process (a script, a test run) alive on its own.
  registry.timer.unref();
}

async function beat() {
  if (registry.isBeating) return;
  registry.isBeating = true;
  try {
    const turns = [...registry.turns.values()];
    if (turns.length === 0 && registry.timer) {
      clearInterval(registry.timer);
      registry.timer = null;
      return;
    }
    await countPending(turns);
    await renewLeases(turns.map(({ entryId, streamedTokens }) => ({ entryId, streamedTokens })));
    const inConversations = turns.flatMap(({ conversationId, userId }) =>
      conversationId === null ? [] : [{ id: conversationId, userId }],
    );
    const existing = new Set(await listExistingConversationIds(inConversations));
    for (const turn of turns) {
      if (turn.conversationId !== null && !existing.has(turn.conversationId)) turn.controller.abort(DELETED);
    }
    const stopped = new Set(await listStopRequested(turns.map((turn) => turn.entryId)));
    for (const turn of turns) if (stopped.has(turn.entryId)) turn.controller.abort(STOPPED);
    if (++registry.beats % SWEEP_EVERY_BEATS === 0) await sweepAbandonedReservations();
  } catch (error) {
    // The next beat tries again; a lease outlives several missed beats.
    logUnexpected("active turns heartbeat", error);
  } finally {
    registry.isBeating = false;
  }
}

async function countPending(turns: ActiveTurn[]) {
  const byEncoding = new Map<Encoding, ActiveTurn[]>();
  for (const turn of turns) {
    if (!turn.pending) continue;
    byEncoding.set(turn.encoding, [...(byEncoding.get(turn.encoding) ?? []), turn]);
  }
  for (const [encoding, list] of byEncoding) {
    const texts = list.map((turn) => turn.pending);
    for (const turn of list) turn.pending = "";
    const counts = await countTokensOffThread({ texts, encoding });
    list.forEach((turn, i) => {
      turn.streamedTokens += counts[i] ?? 0;
    });
  }
}

/** Settles abandoned reservations now and then even when no call runs here (started by instrumentation.ts). */
export function startLedgerMaintenance(intervalMs = HEARTBEAT_MS * SWEEP_EVERY_BEATS) {
  const sweep = () =>
    void sweepAbandonedReservations().catch((error: unknown) => logUnexpected("abandoned-reservation sweep", error));
  sweep();
  setInterval(sweep, intervalMs).unref();
}
