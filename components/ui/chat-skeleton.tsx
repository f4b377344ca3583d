import { LoadingRegion, Skeleton } from "./skeleton";

/** A user's message (right) or a reply (text lines, left). */
function Bubble({ isUser }: { isUser: boolean }) {
  return isUser ? (
    <div className="flex justify-end">
      <Skeleton className="h-11 w-2/5" />
    </div>
  ) : (
    <div className="flex flex-col gap-2">
      <Skeleton className="h-4 w-11/12 rounded-md" />
      <Skeleton className="h-4 w-4/5 rounded-md" />
      <Skeleton className="h-4 w-3/5 rounded-md" />
    </div>
  );
}

/**
 * A conversation's shape while it loads: the header, alternating message bubbles and the composer, where the chat's
 * own will be, so nothing jumps when it arrives.
 */
export function ChatSkeleton({ label, bubbles }: { label: string; bubbles: number }) {
  return (
    <LoadingRegion label={label} className="flex h-full min-w-0 flex-1 flex-col">
      <div className="flex items-center gap-3 border-b border-zinc-200 px-4 py-3">
        <Skeleton className="h-5 w-48 rounded-md" />
      </div>
      <div className="min-h-0 flex-1 overflow-hidden">
        <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          {Array.from({ length: bubbles }, (_, index) => index).map((index) => (
            <Bubble key={index} isUser={index % 2 === 0} />
          ))}
        </div>
      </div>
      <div className="mx-auto w-full max-w-3xl px-4 pb-4">
        <Skeleton className="h-24 border border-zinc-200" />
      </div>
    </LoadingRegion>
  );
}
