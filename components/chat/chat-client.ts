// The AI SDK's chat client in one module, so it is one chunk loaded on first need (components/chat/use-lazy-chat.ts):
// @ai-sdk/react's Chat, the `ai` package's transport and stream parser, the zod schemas they validate chunks with,
// and how this app shapes a turn's request.
export { Chat } from "@ai-sdk/react";
export { createTurnTransport } from "./chat-transport";
