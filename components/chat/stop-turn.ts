"use client";

// The server writes a reply to its end whether or not the page still reads it (a reload, another chat, a closed tab
// stop nothing, and the page attaches to the reply again), so Stop is a request of its own: POST /api/chat/stop.

/**
 * Stop for one chat. `fetch` is the chat request's fetch: it lets the request reach the server even when Stop aborts
 * it before the answer (the turn is admitted regardless, and would then run to its end), and sends Stop again once the
 * turn exists.
 */
export function createTurnStopper(conversationId: string) {
  let isStopPending = false;
  const fetchTurn: typeof fetch = async (input, init) => {
    if (init?.method !== "POST") return fetch(input, init);
    isStopPending = false;
    const { signal: _ignored, ...rest } = init;
    const response = await fetch(input, rest);
    if (isStopPending && response.ok) void requestStop(conversationId);
    return response;
  };
  return {
    fetch: fetchTurn,
    /** Whether the user pressed Stop since the last request (a read cut for another reason is no Stop). */
    get isStopping() {
      return isStopPending;
    },
    stop() {
      isStopPending = true;
      void requestStop(conversationId);
    },
  };
}

async function requestStop(conversationId: string) {
  try {
    const response = await fetch("/api/chat/stop", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ conversationId }),
    });
    // 404: the chat does not exist yet (Stop before the server admitted the first message): sent again once it does.
    if (!response.ok && response.status !== 404) console.error(`[chat] Stop failed: ${response.status}`);
  } catch (error) {
    console.error("[chat] Stop failed", error);
  }
}
