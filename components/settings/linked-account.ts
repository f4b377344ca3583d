/** The longest channel id Settings shows whole; a longer one (an OpenID is 28 characters) is shortened. */
const MAX_SHOWN_ID = 12;

/**
 * How Settings names a linked channel account: the name the channel gave it, else its id on the channel shortened to
 * its ends ("oAbc…xYz9") — enough to recognize, without showing a whole OpenID.
 */
export function linkedAccountName({ displayName, externalId }: { displayName: string | null; externalId: string }) {
  const name = displayName?.trim();
  if (name) return name;
  return externalId.length <= MAX_SHOWN_ID ? externalId : `${externalId.slice(0, 4)}…${externalId.slice(-4)}`;
}
