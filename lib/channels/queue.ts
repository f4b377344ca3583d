import "server-only";

// A chat's messages are handled one after another (in this process): two quick messages from one person become two
// turns of their conversation, in the order they were sent, rather than two turns at once.

const chatQueues = new Map<string, Promise<void>>();

/** Runs `work` once the chat's earlier work has ended (however it ended). Never rejects: `work` handles its failures. */
export function inChatOrder(key: string, work: () => Promise<void>): Promise<void> {
  const previous = chatQueues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  chatQueues.set(key, next);
  void next.finally(() => {
    if (chatQueues.get(key) === next) chatQueues.delete(key);
  });
  return next;
}
