// The Compare page's rules and its stream's events, shared by the server (lib/chat/compare.ts) and the page
// (components/compare). Safe on the client: no zod, no server modules.

export const MIN_COMPARE_MODELS = 2;
export const MAX_COMPARE_MODELS = 4;

/** An answer's figures once its call ended and its ledger entry was settled (or released). */
export type CompareAnswerResult = {
  status: "complete" | "stopped" | "error";
  /** Why it failed or stopped, as an encoded error text (lib/errors.ts), shown in the reader's language. */
  error?: string;
  finishReason?: string;
  /** Milliseconds from the upstream call's start to its first text (null: none came), and to its end. */
  firstTokenMs: number | null;
  totalMs: number;
  promptTokens: number;
  completionTokens: number;
  /** Exact micro-USD; 0 when released (nothing spent) or unpriced. */
  costMicros: number;
  /** Counted by us (stopped, cut: the upstream reported no usage). */
  isEstimated: boolean;
  isUnpriced: boolean;
  /** Refused by the upstream before any output: nothing spent. */
  isReleased: boolean;
};

/**
 * One line of POST /api/compare's NDJSON body. `start` first (the comparison's id and columns), then the answers'
 * text and ends interleaved, each tagged with its column (`index`), then `end` with the whole comparison's cost.
 */
export type CompareEvent =
  | { type: "start"; comparisonId: string; answers: { index: number; model: string }[] }
  | { type: "text"; index: number; delta: string; firstTokenMs?: number }
  | { type: "done"; index: number; result: CompareAnswerResult }
  | { type: "end"; totalCostMicros: number };
