import Link from "next/link";

export default function ConversationNotFound() {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">Conversation not found</h1>
      <p className="text-sm text-zinc-600">It may have been deleted, or it belongs to another account.</p>
      <Link href="/" className="text-sm font-medium text-emerald-700 underline">
        Start a new chat
      </Link>
    </div>
  );
}
