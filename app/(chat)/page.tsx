import { randomUUID } from "node:crypto";
import { Chat } from "@/components/chat/chat";
import { EmptyChat } from "@/components/chat/empty-chat";
import { availableModels, defaultModel } from "@/lib/ai/provider";
import { requirePageUserId } from "@/lib/auth";
import { getMeterProps } from "@/lib/chat/meter";
import { getPreset } from "@/lib/chat/presets";
import { imageModelForChat } from "@/lib/images/model";

export const dynamic = "force-dynamic";

/** A new chat; `?preset=<id>` starts it from one of the user's presets (its model and settings). */
export default async function NewChatPage({ searchParams }: { searchParams: Promise<{ preset?: string | string[] }> }) {
  const userId = await requirePageUserId();
  const { preset: presetId } = await searchParams;
  // Someone else's preset, or one since deleted, is simply not applied: a plain new chat.
  const preset = typeof presetId === "string" ? await getPreset({ id: presetId, userId }) : null;
  // The id is minted here (not in the browser, where crypto.randomUUID needs HTTPS) so the chat has its URL at once.
  const id = randomUUID();
  const models = await availableModels();
  const meter = await getMeterProps({ userId, models });
  // A preset whose model is no longer offered starts with the default one.
  const model = preset && models.includes(preset.model) ? preset.model : defaultModel();
  return (
    <Chat
      key={id}
      conversationId={id}
      initialMessages={[]}
      models={models}
      model={model}
      settings={preset?.settings ?? {}}
      isStored={false}
      presetName={preset?.name}
      {...meter}
      image={imageModelForChat()}
      emptyState={<EmptyChat />}
    />
  );
}
