// The browser tab's title: set by the pages' metadata on the server (app/layout.tsx), and by the chat when its title
// changes in the browser (its first message sent, or refused).
export const APP_NAME = "ChatLedger";

export function pageTitle(title?: string | null): string {
  return title ? `${title} · ${APP_NAME}` : APP_NAME;
}
