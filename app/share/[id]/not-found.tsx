// The same page for a link that never existed, one that was revoked and one whose conversation was deleted.
export default function SharedConversationNotFound() {
  return (
    <main className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">Shared conversation not found</h1>
      <p className="text-sm text-zinc-600">The link is wrong, or its owner stopped sharing this conversation.</p>
    </main>
  );
}
