// Image parts of a Chat Completions request, as the fake upstream counts them (see server.ts's header): each
// `image_url` part of a user message costs IMAGE_PART_TOKENS prompt tokens, whatever its size, so a test can assert a
// reply's exact cost. The parts themselves are in the recorded request's body (GET /__requests).

/** Prompt tokens the fake counts for each image part. */
export const IMAGE_PART_TOKENS = 1000;

/** How many `image_url` parts the messages carry. */
export function imagePartCount(messages: { content?: unknown }[]): number {
  return messages.reduce(
    (sum, message) =>
      sum +
      (Array.isArray(message.content)
        ? message.content.filter((part) => part && typeof part === "object" && part.type === "image_url").length
        : 0),
    0,
  );
}
