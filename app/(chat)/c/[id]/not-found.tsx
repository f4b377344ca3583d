export default function ConversationNotFound() {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">Conversation not found</h1>
      <p className="text-sm text-zinc-600">It may have been deleted, or it belongs to another account.</p>
      {/* A full load, as the sidebar's New chat: a fresh page mints a fresh conversation id. (next/link here would also
          put its ~3 KiB in every conversation page's first load.) */}
      <a href="/" className="text-sm font-medium text-emerald-700 underline">
        Start a new chat
      </a>
    </div>
  );
}
