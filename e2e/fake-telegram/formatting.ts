// Message text as the Bot API checks it (e2e/fake-telegram/server.ts calls `formatText`): explicit `entities`, or a
// `parse_mode` of MarkdownV2, HTML or the legacy Markdown turned into plain text and entities, with Telegram's
// refusals and their wording ("can't parse entities: …"). Offsets and lengths are UTF-16 code units, as the Bot API
// counts them (a JS string's own units). The parsers follow TDLib's (td/telegram/MessageEntity.cpp) closely enough
// for tests: what Telegram refuses is refused, what it accepts is accepted, but entities Telegram adds on its own
// (URLs, mentions, commands found in plain text) are not detected and the text is not trimmed.

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  user?: { id: number };
  custom_emoji_id?: string;
}

export type FormattedText = { text: string; entities: MessageEntity[] };

/** A refusal: the text after "Bad Request: ". */
export class FormatError extends Error {}

export const ENTITY_TYPES = new Set([
  "mention",
  "hashtag",
  "cashtag",
  "bot_command",
  "url",
  "email",
  "phone_number",
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "blockquote",
  "expandable_blockquote",
  "code",
  "pre",
  "text_link",
  "text_mention",
  "custom_emoji",
]);

const cantParse = (reason: string) => new FormatError(`can't parse entities: ${reason}`);
const byteOffset = (text: string, index: number) => Buffer.byteLength(text.slice(0, index), "utf8");
const isUrl = (url: string) => URL.canParse(url) || URL.canParse(`http://${url}`);

/**
 * The message's text and entities as Telegram would store them, or a FormatError. `entities` wins over `parse_mode`
 * (Telegram ignores the mode when entities are given); both may arrive as a JSON string from a form body.
 */
export function formatText({
  text,
  entities,
  parseMode,
}: {
  text: string;
  entities?: unknown;
  parseMode?: unknown;
}): FormattedText {
  if (entities !== undefined && entities !== null) return { text, entities: checkEntities(text, entities) };
  if (parseMode === undefined || parseMode === null || parseMode === "") return { text, entities: [] };
  if (parseMode === "MarkdownV2") return parseMarkdownV2(text);
  if (parseMode === "HTML") return parseHtml(text);
  if (parseMode === "Markdown") return parseMarkdown(text);
  throw new FormatError("unsupported parse_mode");
}

export function checkEntities(text: string, value: unknown): MessageEntity[] {
  let list = value;
  if (typeof list === "string") {
    try {
      list = JSON.parse(list);
    } catch {
      throw cantParse("can't parse entities JSON object");
    }
  }
  if (!Array.isArray(list)) throw cantParse("entities must be an Array");
  return list.map((raw: unknown, index) => {
    const at = `entity ${index}`;
    if (typeof raw !== "object" || raw === null) throw cantParse(`${at} must be an Object`);
    const entity = raw as Record<string, unknown>;
    const { type, offset, length } = entity;
    if (typeof type !== "string" || !ENTITY_TYPES.has(type)) {
      throw cantParse(`${at}: unsupported entity type "${String(type)}"`);
    }
    if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
      throw cantParse(`${at} (${type}): offset must be a non-negative integer, got ${String(offset)}`);
    }
    if (typeof length !== "number" || !Number.isInteger(length) || length <= 0) {
      throw cantParse(`${at} (${type}): length must be a positive integer, got ${String(length)}`);
    }
    if (offset + length > text.length) {
      throw cantParse(
        `${at} (${type}) at offset ${offset} with length ${length} ends beyond the text (${text.length} UTF-16 code units)`,
      );
    }
    const result: MessageEntity = { type, offset, length };
    if (type === "text_link") {
      if (typeof entity.url !== "string" || !isUrl(entity.url)) throw cantParse(`${at} (text_link): wrong HTTP URL`);
      result.url = entity.url;
    } else if (type === "text_mention") {
      const user = entity.user as { id?: unknown } | undefined;
      if (typeof user?.id !== "number") throw cantParse(`${at} (text_mention): user must be specified`);
      result.user = { id: user.id };
    } else if (type === "custom_emoji") {
      if (typeof entity.custom_emoji_id !== "string") {
        throw cantParse(`${at} (custom_emoji): custom_emoji_id must be specified`);
      }
      result.custom_emoji_id = entity.custom_emoji_id;
    } else if (type === "pre" && typeof entity.language === "string" && entity.language) {
      result.language = entity.language;
    }
    return result;
  });
}

/** Entities in Telegram's order: by offset, the longer (outer) first. */
function sorted(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** A stable key of a message's entities, for "message is not modified". */
export function entitiesKey(entities: MessageEntity[]): string {
  return JSON.stringify(
    sorted([...entities]).map(({ type, offset, length, url, language, user, custom_emoji_id }) => [
      type,
      offset,
      length,
      url ?? null,
      language ?? null,
      user?.id ?? null,
      custom_emoji_id ?? null,
    ]),
  );
}

const RESERVED = "_*[]()~`>#+-=|{}.!";
const reserved = (c: string) => cantParse(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
const V2_NAMES: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  code: "Code",
  pre: "Pre",
  text_link: "TextUrl",
  custom_emoji: "CustomEmoji",
};

interface Open {
  type: string;
  /** Where the entity starts in the output text (UTF-16). */
  start: number;
  /** Where its markup starts in the input, in UTF-8 bytes (Telegram's error messages count bytes). */
  byte: number;
  language?: string;
}

/** MarkdownV2 (https://core.telegram.org/bots/api#markdownv2-style), after TDLib's parse_markdown_v2. */
export function parseMarkdownV2(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  let quoteStart: number | null = null;
  const at = (i: number) => input[i] ?? "";
  const escapable = (i: number) => {
    const code = input.charCodeAt(i);
    return code > 0 && code <= 126;
  };

  for (let i = 0; i < input.length; i++) {
    const c = at(i);
    const top = stack.at(-1);
    const isLineStart = i === 0 || at(i - 1) === "\n";
    // Block quotes: consecutive lines starting with '>' (the '>' is markup); the quote ends before the first line
    // without one. Only outside other entities, as Telegram requires.
    if (isLineStart && stack.length === 0) {
      if (c === ">") {
        if (quoteStart === null) quoteStart = text.length;
        continue;
      }
      if (quoteStart !== null) {
        closeQuote(text.endsWith("\n") ? text.length - 1 : text.length);
      }
    }
    if (c === "\\" && escapable(i + 1)) {
      text += at(i + 1);
      i++;
      continue;
    }
    const special = top && (top.type === "code" || top.type === "pre") ? "`" : RESERVED;
    if (!special.includes(c)) {
      text += c;
      continue;
    }
    const closes =
      top !== undefined &&
      ((top.type === "bold" && c === "*") ||
        (top.type === "italic" && c === "_" && at(i + 1) !== "_") ||
        (top.type === "code" && c === "`") ||
        (top.type === "pre" && c === "`" && at(i + 1) === "`" && at(i + 2) === "`") ||
        ((top.type === "text_link" || top.type === "custom_emoji") && c === "]") ||
        (top.type === "underline" && c === "_" && at(i + 1) === "_") ||
        (top.type === "strikethrough" && c === "~") ||
        (top.type === "spoiler" && c === "|" && at(i + 1) === "|"));
    if (!closes) {
      const open: Open = { type: "", start: text.length, byte: byteOffset(input, i) };
      if (c === "_") {
        open.type = at(i + 1) === "_" ? "underline" : "italic";
        if (open.type === "underline") i++;
      } else if (c === "*") open.type = "bold";
      else if (c === "~") open.type = "strikethrough";
      else if (c === "|" && at(i + 1) === "|") {
        open.type = "spoiler";
        i++;
      } else if (c === "[") open.type = "text_link";
      else if (c === "!" && at(i + 1) === "[") {
        open.type = "custom_emoji";
        i++;
      } else if (c === "`" && at(i + 1) === "`" && at(i + 2) === "`") {
        open.type = "pre";
        i += 3;
        let end = i;
        while (end < input.length && !/\s/.test(at(end)) && at(end) !== "`") end++;
        if (end !== i && end < input.length && at(end) !== "`") {
          open.language = input.slice(i, end);
          i = end;
        }
        // One line break after the opening (and language) belongs to the markup.
        if (at(i) === "\n" || at(i) === "\r")
          i += (at(i + 1) === "\n" || at(i + 1) === "\r") && at(i) !== at(i + 1) ? 2 : 1;
        i--;
      } else if (c === "`") open.type = "code";
      else throw reserved(c);
      stack.push(open);
      continue;
    }
    const entity = stack.pop() as Open;
    let skip = entity.start === text.length;
    const result: MessageEntity = { type: entity.type, offset: entity.start, length: text.length - entity.start };
    if (entity.type === "underline" || entity.type === "spoiler") i++;
    else if (entity.type === "pre") {
      i += 2;
      if (entity.language) result.language = entity.language;
    } else if (entity.type === "text_link" || entity.type === "custom_emoji") {
      let url = "";
      if (at(i + 1) !== "(") {
        if (entity.type === "custom_emoji") throw cantParse("Custom emoji entity must contain a tg://emoji URL");
        url = text.slice(entity.start);
      } else {
        i += 2;
        const urlStart = byteOffset(input, i);
        while (i < input.length && at(i) !== ")") {
          if (at(i) === "\\" && escapable(i + 1)) {
            url += at(i + 1);
            i += 2;
          } else url += at(i++);
        }
        if (at(i) !== ")") throw cantParse(`Can't find end of a URL at byte offset ${urlStart}`);
      }
      if (entity.type === "custom_emoji") {
        const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(url)?.[1];
        if (!id) throw cantParse("Custom emoji URL must have an emoji identifier");
        result.custom_emoji_id = id;
      } else if (isUrl(url)) result.url = url;
      else skip = true;
    }
    if (!skip) entities.push(result);
  }
  const open = stack.at(-1);
  if (open) throw cantParse(`Can't find end of ${V2_NAMES[open.type]} entity at byte offset ${open.byte}`);
  if (quoteStart !== null) closeQuote(text.length);
  return { text, entities: sorted(entities) };

  function closeQuote(end: number) {
    const start = quoteStart ?? 0;
    if (end > start) entities.push({ type: "blockquote", offset: start, length: end - start });
    quoteStart = null;
  }
}

const HTML_TAGS: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};
const HTML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** HTML (https://core.telegram.org/bots/api#html-style), after TDLib's parse_html. */
export function parseHtml(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: { tag: string; start: number; attributes: Record<string, string> }[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === "&") {
      const match = /^&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|([a-zA-Z]+));/.exec(input.slice(i));
      const decoded = match
        ? match[1] || match[2]
          ? String.fromCodePoint(Number.parseInt(match[1] ?? match[2] ?? "", match[1] ? 10 : 16))
          : HTML_ENTITIES[match[3] ?? ""]
        : undefined;
      if (match && decoded !== undefined) {
        text += decoded;
        i += match[0].length;
      } else {
        text += c;
        i++;
      }
      continue;
    }
    if (c !== "<") {
      text += c;
      i++;
      continue;
    }
    const byte = byteOffset(input, i);
    const end = input.indexOf(">", i);
    if (end < 0) throw cantParse(`Unclosed start tag at byte offset ${byte}`);
    const inside = input.slice(i + 1, end);
    if (inside.startsWith("/")) {
      const name = inside.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw cantParse(`Unexpected end tag at byte offset ${byte}`);
      if (open.tag !== name) {
        throw cantParse(`Unmatched end tag at byte offset ${byte}, expected "</${open.tag}>", found "</${name}>"`);
      }
      const type = HTML_TAGS[open.tag] as string;
      const entity: MessageEntity = { type, offset: open.start, length: text.length - open.start };
      if (type === "text_link") {
        const href = open.attributes.href ?? "";
        if (isUrl(href) && entity.length > 0) entities.push({ ...entity, url: href });
      } else if (type === "custom_emoji") {
        const id = open.attributes["emoji-id"];
        if (!id) throw cantParse(`Custom emoji entity must have an emoji identifier`);
        entities.push({ ...entity, custom_emoji_id: id });
      } else if (open.attributes.isLanguage !== undefined) {
        // <pre><code class="language-x">: the language of the enclosing pre, not an entity of its own.
      } else if (type === "pre") {
        if (entity.length > 0)
          entities.push(open.attributes.lang ? { ...entity, language: open.attributes.lang } : entity);
      } else if (entity.length > 0) {
        const isExpandable = type === "blockquote" && open.attributes.expandable !== undefined;
        entities.push(isExpandable ? { ...entity, type: "expandable_blockquote" } : entity);
      }
      i = end + 1;
      continue;
    }
    const tag = /^([a-zA-Z][a-zA-Z0-9-]*)/.exec(inside)?.[1]?.toLowerCase() ?? "";
    if (!HTML_TAGS[tag]) throw cantParse(`Unsupported start tag "${tag}" at byte offset ${byte}`);
    const attributes: Record<string, string> = {};
    for (const [, name = "", , double, single, bare] of inside
      .slice(tag.length)
      .matchAll(/([a-zA-Z-]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/g)) {
      attributes[name.toLowerCase()] = (double ?? single ?? bare ?? "").replace(/&amp;/g, "&");
    }
    if (tag === "span" && attributes.class !== "tg-spoiler") {
      throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byte}`);
    }
    const parent = stack.at(-1);
    if (tag === "code" && parent?.tag === "pre" && attributes.class?.startsWith("language-")) {
      parent.attributes.lang = attributes.class.slice("language-".length);
      attributes.isLanguage = "";
    }
    stack.push({ tag, start: text.length, attributes });
    i = end + 1;
  }
  const open = stack.at(-1);
  if (open) throw cantParse(`Can't find end tag corresponding to start tag "${open.tag}"`);
  return { text, entities: sorted(entities) };
}

/** The legacy Markdown (https://core.telegram.org/bots/api#markdown-style): *bold* _italic_ `code` ```pre``` [a](url). */
export function parseMarkdown(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const fail = (i: number) => cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`);
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (c === "\\" && "_*`[".includes(input[i + 1] ?? "")) {
      text += input[i + 1];
      i++;
      continue;
    }
    if (!"_*`[".includes(c)) {
      text += c;
      continue;
    }
    const isPre = c === "`" && input.startsWith("```", i);
    const close = c === "[" ? "]" : isPre ? "```" : c;
    const from = i + (isPre ? 3 : 1);
    const end = input.indexOf(close, from);
    if (end < 0) throw fail(i);
    const inner = input.slice(from, end);
    const start = text.length;
    if (c === "[") {
      const url = input[end + 1] === "(" ? input.slice(end + 2, input.indexOf(")", end + 2)) : null;
      if (url === null || input.indexOf(")", end + 2) < 0) throw fail(i);
      text += inner;
      if (inner && isUrl(url)) entities.push({ type: "text_link", offset: start, length: inner.length, url });
      i = input.indexOf(")", end + 2);
      continue;
    }
    text += inner;
    const type = c === "*" ? "bold" : c === "_" ? "italic" : isPre ? "pre" : "code";
    if (inner) entities.push({ type, offset: start, length: inner.length });
    i = end + close.length - 1;
  }
  return { text, entities: sorted(entities) };
}
