// What a user may attach to a message: shared by the composer (browser) and the server's checks. Safe on the client.

/** Images one message may carry. */
export const MAX_ATTACHMENTS = 4;

/** The image types a vision model takes (checked by the file's bytes, not its name). */
export const ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;

/** The file picker's filter (a hint only: the server reads the bytes). */
export const ATTACHMENT_ACCEPT = ATTACHMENT_TYPES.join(",");
