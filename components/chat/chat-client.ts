// The AI SDK's chat client in one module, so it is one chunk loaded on first need (components/chat/use-lazy-chat.ts):
// @ai-sdk/react's Chat, the `ai` package's transport and stream parser, and the zod schemas they validate chunks with.
export { Chat } from "@ai-sdk/react";
export { DefaultChatTransport } from "ai";
