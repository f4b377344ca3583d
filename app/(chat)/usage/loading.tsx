export default function UsageLoading() {
  return (
    <div className="flex-1 overflow-y-auto" aria-busy="true">
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-6 py-8">
        <h1 className="text-2xl font-semibold">Usage</h1>
        <p className="sr-only" role="status">
          Loading usage…
        </p>
        <div className="grid gap-6 lg:grid-cols-2">
          <div className="h-40 animate-pulse rounded-2xl bg-zinc-100" />
          <div className="h-40 animate-pulse rounded-2xl bg-zinc-100" />
        </div>
        <div className="h-72 animate-pulse rounded-2xl bg-zinc-100" />
        <div className="h-96 animate-pulse rounded-2xl bg-zinc-100" />
      </div>
    </div>
  );
}
