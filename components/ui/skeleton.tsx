import { cn } from "@/lib/utils";

/** A grey placeholder in the shape of what is loading. Hidden from assistive technology: LoadingRegion speaks. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-2xl bg-zinc-100", className)} />;
}

/**
 * A page's placeholder while it loads: busy for assistive technology, which hears `label` ("Loading usage…") once
 * instead of the placeholders.
 */
export function LoadingRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div aria-busy="true" className={className}>
      <p className="sr-only" role="status">
        {label}
      </p>
      {children}
    </div>
  );
}

const PAGE_WIDTHS = { narrow: "max-w-2xl", medium: "max-w-3xl", wide: "max-w-6xl" } as const;

/** A page of the app (usage, settings, presets, admin) while it loads: its real heading over placeholders. */
export function PageSkeleton({
  label,
  title,
  width,
  children,
}: {
  label: string;
  title: string;
  width: keyof typeof PAGE_WIDTHS;
  children: React.ReactNode;
}) {
  return (
    <LoadingRegion label={label} className="flex-1 overflow-y-auto">
      <div className={cn("mx-auto flex flex-col gap-6 px-6 py-8", PAGE_WIDTHS[width])}>
        <h1 className="text-2xl font-semibold">{title}</h1>
        {children}
      </div>
    </LoadingRegion>
  );
}
