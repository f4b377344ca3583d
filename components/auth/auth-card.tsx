import { useTranslations } from "next-intl";
import { LocaleSwitch } from "@/components/i18n/locale-switch";
import { Button } from "@/components/ui/button";

type Props = {
  title: string;
  providers: { id: string; name: string }[];
  callbackUrl?: string;
  /** An invite link's token, carried through the OAuth round trip. */
  invite?: string;
  oauthAction: (formData: FormData) => Promise<void>;
  children: React.ReactNode;
};

export function AuthCard({ title, providers, callbackUrl, invite, oauthAction, children }: Props) {
  const t = useTranslations("auth");
  return (
    <main className="flex min-h-full items-center justify-center bg-zinc-50 px-4 py-12">
      <div className="w-full max-w-sm rounded-2xl border border-zinc-200 bg-white p-8 shadow-sm">
        <div className="mb-1 flex items-center justify-between gap-2">
          <p className="text-sm font-semibold tracking-wide text-emerald-700">ChatLedger</p>
          {/* Before sign-in the choice lives in a cookie; signing up saves it on the new account. */}
          <LocaleSwitch className="rounded-md border border-zinc-300 bg-white px-1.5 py-0.5 text-xs text-zinc-700" />
        </div>
        <h1 className="mb-6 text-2xl font-semibold">{title}</h1>
        {providers.length > 0 ? (
          <div className="mb-6 flex flex-col gap-2">
            {providers.map((provider) => (
              <form key={provider.id} action={oauthAction}>
                <input type="hidden" name="provider" value={provider.id} />
                {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
                {invite ? <input type="hidden" name="invite" value={invite} /> : null}
                <Button type="submit" variant="secondary" className="w-full">
                  {t("continueWith", { provider: provider.name })}
                </Button>
              </form>
            ))}
            <p className="mt-2 text-center text-xs uppercase tracking-wide text-zinc-400">{t("orWithEmail")}</p>
          </div>
        ) : null}
        {children}
      </div>
    </main>
  );
}

/** A notice above the form: why signing up is not possible, or what this sign-up is. */
export function AuthNotice({ children, isError = false }: { children: React.ReactNode; isError?: boolean }) {
  return isError ? (
    <p role="alert" className="mb-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
      {children}
    </p>
  ) : (
    <p className="mb-4 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{children}</p>
  );
}
