// Every shape a user can send, in one place, as zod schemas for the server. The rules the browser checks too are
// plain functions in lib/input-rules.ts, which these schemas apply: client components import that, not this (zod
// would add ~37 KiB gzip to every page).
import { z } from "zod";
import { parseScaledDecimal } from "./billing/decimal";
import { MAX_ATTACHMENTS } from "./chat/attachment-rules";
import { MAX_COMPARE_MODELS, MIN_COMPARE_MODELS } from "./chat/compare-rules";
import { chatSettingsSchema } from "./chat/settings-schema";
import type { ErrorKey, ErrorParams, ErrorText } from "./errors";
import {
  conversationTitleProblem,
  INVITE_EXPIRY_DAYS,
  MAX_PRESET_NAME_CHARS,
  MIN_PASSWORD_CHARS,
  messageLengthProblem,
  searchTextProblem,
  unstorableTextProblem,
} from "./input-rules";

// An issue's message is a message key ("validation.…", docs/i18n-errors.md) and its arguments ride in the issue's
// params (or are the check's own minimum and maximum): firstIssue turns the first issue into an ErrorText.

/** A problem of the rule (lib/input-rules.ts) as a zod issue. */
const ruleIssue = (problem: (value: string) => ErrorText | null) => (value: string, ctx: z.RefinementCtx) => {
  const text = problem(value);
  if (text) ctx.addIssue({ code: "custom", message: text.key, params: text.params });
};

/** A form field stored as sent (JSON bodies are checked whole as they are read: lib/http.ts readJson). */
const storableText = ruleIssue(unstorableTextProblem);

/** Tokens of one message, counted on the server before anything is reserved. */
export const MAX_MESSAGE_TOKENS = 40_000;
/** Whole request body limit for the chat API, checked before parsing: a longest message and system prompt fit. */
export const MAX_CHAT_BODY_BYTES = 256 * 1024;
/** bcrypt only reads the first 72 bytes of a password; longer ones would silently lose their tail. */
export const MAX_PASSWORD_BYTES = 72;

export const emailSchema = z
  .string({ message: "validation.emailRequired" })
  .trim()
  .toLowerCase()
  .max(254, { message: "validation.emailTooLong" })
  .pipe(z.email({ message: "validation.emailInvalid" }));

export const passwordSchema = z
  .string({ message: "validation.passwordRequired" })
  .min(MIN_PASSWORD_CHARS, { message: "validation.passwordTooShort" })
  .refine((value) => new TextEncoder().encode(value).length <= MAX_PASSWORD_BYTES, {
    message: "validation.passwordTooLong",
    params: { max: MAX_PASSWORD_BYTES },
  })
  .refine((value) => /[a-zA-Z\p{L}]/u.test(value) && /[^a-zA-Z\p{L}]/u.test(value), {
    message: "validation.passwordMix",
  });

export const signUpSchema = z.object({
  name: z.string().trim().max(100, { message: "validation.nameTooLong" }).superRefine(storableText).optional(),
  email: emailSchema,
  password: passwordSchema,
});
export type SignUp = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, { message: "validation.passwordEmpty" }).max(1024),
});

/** Changing one's password: the current one (checked like a sign-in) and a new one under the sign-up rules. */
export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, { message: "validation.passwordEmpty" }).max(1024),
  newPassword: passwordSchema,
});
export type SignIn = z.infer<typeof signInSchema>;

/** Conversation ids are created by the client (so a new chat has its URL at once): opaque, URL-safe. */
export const conversationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, { message: "validation.conversationIdInvalid" });

/** Message ids as the server made them (cuid or UUID): opaque, URL-safe. */
export const messageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: "validation.messageIdInvalid" });

export const chatRequestSchema = z
  .object({
    conversationId: conversationIdSchema,
    model: z.string().trim().min(1).max(100),
    /** The new user message (with `edit`: its new text); omitted for the other kinds of turn. */
    text: z.string().superRefine(ruleIssue(messageLengthProblem)).optional(),
    /** Answer the last user message again (its reply failed). */
    retry: z.boolean().optional(),
    /** A new version of this reply (the last one), the earlier one kept. */
    regenerate: messageIdSchema.optional(),
    /** `text` as a new version of this user message, sent instead of it; the later messages are kept on the old branch. */
    edit: messageIdSchema.optional(),
    /** Images attached to the new (or edited) message: ids of the user's uploads (POST /api/files), in order. */
    attachments: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{24}$/, { message: "errors.attachmentNotFound" }))
      .max(MAX_ATTACHMENTS, { message: "errors.attachmentTooMany" })
      .optional(),
    /** Carry on this reply (the last one), which the output limit cut short. */
    continue: messageIdSchema.optional(),
    /** The conversation's parameters; checked against the model by the turn. Omitted: all defaults. */
    /** Parameters for a chat this message creates (a chat started from a preset); ignored for an existing chat. */
    settings: chatSettingsSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const kinds = [value.retry || undefined, value.regenerate, value.edit, value.continue].filter(
      (kind) => kind !== undefined,
    );
    if (kinds.length > 1) {
      ctx.addIssue({ code: "custom", message: "validation.oneTurnKind" });
    } else if (value.retry || value.regenerate || value.continue) {
      if (value.text !== undefined) ctx.addIssue({ code: "custom", message: "validation.textOnlyForNewOrEdit" });
      if (value.attachments?.length) ctx.addIssue({ code: "custom", message: "errors.attachmentOnlyNewMessage" });
    } else if (!value.text?.trim()) {
      ctx.addIssue({ code: "custom", message: "validation.messageEmpty" });
    }
  });
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** POST /api/compare: one prompt to 2–4 models (lib/chat/compare.ts); the parameters in the chat's ranges. */
export const compareRequestSchema = z
  .object({
    prompt: z
      .string({ message: "validation.messageEmpty" })
      .superRefine(ruleIssue(messageLengthProblem))
      .refine((text) => text.trim() !== "", { message: "validation.messageEmpty" }),
    systemPrompt: chatSettingsSchema.shape.systemPrompt,
    models: z
      .array(z.string().trim().min(1, { message: "validation.modelMissing" }).max(100), {
        message: "validation.compareModelCount",
      })
      .min(MIN_COMPARE_MODELS, { message: "validation.compareModelCount" })
      .max(MAX_COMPARE_MODELS, { message: "validation.compareModelCount" }),
    temperature: chatSettingsSchema.shape.temperature,
    maxOutputTokens: chatSettingsSchema.shape.maxOutputTokens,
  })
  .strict();

/** Continue with one answer of a comparison: its column. */
export const continueComparisonSchema = z
  .object({
    answer: z
      .number({ message: "validation.compareAnswerIndex" })
      .int({ message: "validation.compareAnswerIndex" })
      .min(0, { message: "validation.compareAnswerIndex" })
      .max(MAX_COMPARE_MODELS - 1, { message: "validation.compareAnswerIndex" }),
  })
  .strict();

/** Stop: the conversation whose running reply to stop. */
export const stopChatSchema = z.object({ conversationId: conversationIdSchema }).strict();

export const conversationTitleSchema = z
  .string({ message: "validation.titleNotText" })
  .trim()
  .superRefine(ruleIssue(conversationTitleProblem));

/** PATCH /api/conversations/[id]: rename, pin or unpin. */
export const conversationUpdateSchema = z
  .object({
    title: conversationTitleSchema.optional(),
    pinned: z.boolean({ message: "validation.pinnedBoolean" }).optional(),
  })
  .strict()
  .refine((update) => update.title !== undefined || update.pinned !== undefined, {
    message: "validation.updateEmpty",
  });
export type ConversationUpdate = z.infer<typeof conversationUpdateSchema>;

export const CONVERSATION_PAGE_SIZE = 50;

/** GET /api/conversations: a page of the sidebar's list. */
export const conversationPageSchema = z.object({
  cursor: z.string().min(1).max(300, { message: "validation.cursorInvalid" }).optional(),
  limit: z.coerce
    .number({ message: "validation.limitNumber" })
    .int({ message: "validation.limitWhole" })
    .min(1, { message: "validation.limitRange" })
    .max(100, { message: "validation.limitRange" })
    .default(CONVERSATION_PAGE_SIZE),
});

/** GET /api/conversations/search: the text to find in titles and messages. */
export const conversationSearchSchema = z.object({
  q: z.string({ message: "validation.searchEmpty" }).trim().superRefine(ruleIssue(searchTextProblem)),
});

/** GET /api/conversations/[id]/export?format= */
export const conversationExportFormatSchema = z.enum(["md", "json"], { message: "validation.exportFormat" });

/** A share link's id: 24 random bytes as base64url (lib/db/shares.ts). Anything else is simply not found. */
export const shareIdSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/);

/** Showing another version of a message: the branch through it becomes the one shown. */
export const selectVersionSchema = z.object({ messageId: messageIdSchema }).strict();

/** A page of older messages: the ones before `before`, the oldest message the chat shows (without it: the latest). */
export const messagePageQuerySchema = z.object({ before: messageIdSchema.optional() }).strict();

/** The composer's estimate of the messages the chat has not loaded: those before `before`, counted for `model`. */
export const olderPromptQuerySchema = z
  .object({ before: messageIdSchema, model: z.string().trim().min(1).max(100) })
  .strict();

/** A conversation's model and parameters, as the Parameters panel saves them. */
export const conversationSettingsSchema = z
  .object({ model: z.string().trim().min(1).max(100), settings: chatSettingsSchema })
  .strict();

/** Request body limit for a preset: a system prompt of 20,000 characters in any script, with room for the rest. */
export const MAX_PRESET_BODY_BYTES = 96 * 1024;

const presetFields = {
  name: z
    .string({ message: "validation.presetNameMissing" })
    .trim()
    .min(1, { message: "validation.presetNameMissing" })
    .max(MAX_PRESET_NAME_CHARS, { message: "validation.presetNameTooLong" }),
  // Whether this server offers the model is checked by the server (lib/chat/presets.ts).
  model: z
    .string({ message: "validation.modelMissing" })
    .trim()
    .min(1, { message: "validation.modelMissing" })
    .max(100),
  settings: chatSettingsSchema,
};

/** A new preset: name, model and parameters (lib/chat/settings.ts), the system prompt among them. */
export const presetSchema = z.strictObject({ ...presetFields, settings: presetFields.settings.default({}) });
export type PresetInput = z.infer<typeof presetSchema>;

/** Changes to a preset: any of its fields; `settings` replaces the stored ones as a whole. */
export const presetChangesSchema = z
  .strictObject(presetFields)
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { message: "validation.nothingToChange" });
export type PresetChanges = z.infer<typeof presetChangesSchema>;

/**
 * The first zod issue as a message key and its arguments, for a 400 body or a form: the issue's params, the check's
 * minimum or maximum, and the field it is about. An issue with zod's own English message (a check written without
 * a key) keeps that message as the `detail` of validation.invalidInput.
 */
export function firstIssue(error: z.ZodError): ErrorText {
  const issue = error.issues[0];
  if (!issue) return { key: "validation.invalidInput", params: { detail: "Invalid input." } };
  if (!/^(validation|errors)\./.test(issue.message)) {
    return { key: "validation.invalidInput", params: { detail: issue.message } };
  }
  const params: ErrorParams = {};
  const field = issue.path.at(-1);
  if (typeof field === "string") params.field = field;
  if ("minimum" in issue && (typeof issue.minimum === "number" || typeof issue.minimum === "bigint")) {
    params.min = Number(issue.minimum);
  }
  if ("maximum" in issue && (typeof issue.maximum === "number" || typeof issue.maximum === "bigint")) {
    params.max = Number(issue.maximum);
  }
  const own = "params" in issue ? (issue.params as ErrorParams | undefined) : undefined;
  return { key: issue.message as ErrorKey, params: { ...params, ...own } };
}

const budgetChoices = [
  z.object({ mode: z.literal("default") }),
  z.object({ mode: z.literal("unlimited") }),
  z.object({
    mode: z.literal("limited"),
    amountUsd: z
      .string({ message: "validation.budgetAmountMissing" })
      .trim()
      .regex(/^\d{1,9}(\.\d{1,6})?$/, { message: "validation.budgetAmountFormat" }),
  }),
] as const;

/**
 * Monthly budget from the settings form: the server default, unlimited, an amount in USD (up to 6 decimals), or
 * "admin": keep the budget an administrator set.
 */
export const budgetFormSchema = z.discriminatedUnion(
  "mode",
  [...budgetChoices, z.object({ mode: z.literal("admin") })],
  {
    message: "validation.budgetChoose",
  },
);
export type BudgetForm = z.infer<typeof budgetFormSchema>;

/** Ids of users and invites (cuid) as the admin page's forms send them. */
const recordIdSchema = z
  .string({ message: "validation.idMissing" })
  .min(1, { message: "validation.idMissing" })
  .max(64)
  .superRefine(storableText);

/** A user's budget as an administrator sets it (admin page). */
export const adminBudgetSchema = z
  .discriminatedUnion("mode", budgetChoices, { message: "validation.budgetChoose" })
  .and(z.object({ userId: recordIdSchema }));

/** Disabling or re-enabling a user (admin page). */
export const userStatusSchema = z.object({ userId: recordIdSchema, status: z.enum(["active", "disabled"]) });

/** Revoking an invite (admin page). */
export const revokeInviteSchema = z.object({ inviteId: recordIdSchema });

/** The amount of a budget choice in micro-USD, null when it has none (default, unlimited). */
export function budgetChoiceMicros(choice: { mode: string; amountUsd?: string }): number | null {
  // At most 9 digits and 6 decimals (the schema): exact as a number.
  return choice.mode === "limited" && choice.amountUsd !== undefined
    ? Number(parseScaledDecimal(choice.amountUsd, 6))
    : null;
}

/** An invite from the admin page: optionally for one address, valid for a number of days. */
export const inviteFormSchema = z.object({
  email: z
    .string()
    .trim()
    .transform((email) => email || null)
    .pipe(emailSchema.nullable()),
  expiresInDays: z
    .enum(INVITE_EXPIRY_DAYS.map(String) as [string, ...string[]], {
      message: "validation.inviteExpiry",
    })
    .transform(Number),
});

/** The JSON archive of a user's data (GET /api/export), and what POST /api/import reads back: docs/exports.md. */
export const ARCHIVE_FORMAT = "chatledger-archive";
export const ARCHIVE_VERSION = 1;
/** A reply may be far longer than a message a user may send (MAX_MESSAGE_CHARS). */
const MAX_IMPORTED_MESSAGE_CHARS = 1_000_000;

const archiveDateSchema = z.iso
  .datetime({ offset: true, message: "Expected a date and time in ISO 8601 form." })
  .transform((text) => new Date(text));
const archiveTokensSchema = z.number().int().min(0).max(1_000_000_000).nullish();

/** Only what an import stores; the archive's other fields (ids, costs, the ledger) are read past. */
export const archiveSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  conversations: z.array(
    z.object({
      title: z.string().trim().min(1, { message: "A title cannot be empty." }).max(200),
      model: z.string().trim().min(1).max(100),
      createdAt: archiveDateSchema,
      updatedAt: archiveDateSchema,
      messages: z.array(
        z.object({
          role: z.enum(["user", "assistant"]),
          content: z.string().max(MAX_IMPORTED_MESSAGE_CHARS),
          status: z.enum(["complete", "error", "stopped"]),
          error: z.string().max(10_000).nullish(),
          model: z.string().max(100).nullish(),
          finishReason: z.string().max(100).nullish(),
          promptTokens: archiveTokensSchema,
          completionTokens: archiveTokensSchema,
          cachedTokens: archiveTokensSchema,
          reasoningTokens: archiveTokensSchema,
          createdAt: archiveDateSchema,
        }),
      ),
    }),
  ),
  presets: z.array(z.unknown()).optional(),
  ledger: z.array(z.unknown()).optional(),
});
export type Archive = z.infer<typeof archiveSchema>;
