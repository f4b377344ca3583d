import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { encryptWechat, type WechatCipher, wechatSignature } from "./crypto";

// The XML of WeChat and WeCom callbacks and passive replies. Parsing and building both go through fast-xml-parser so
// that user text is never spliced into markup by hand.

/**
 * The <xml> root's text-only children, by element name, as strings. Elements that hold elements (ScanCodeInfo,
 * SendPicsInfo, a reply's Video, …) are skipped: flattening them could let an inner name shadow a top-level field.
 */
export type WechatXml = Record<string, string>;

export class WechatXmlError extends Error {
  override name = "WechatXmlError";
}

const CDATA = "#cdata";
const TEXT = "#text";

// One element or text node in preserveOrder form: { Name: children } or { "#text": value }; attributes are ignored.
type XmlNode = Record<string, unknown>;

// preserveOrder keeps the nodes of an element in document order, so a CDATA section split around "]]>" joins back in
// order. trimValues trims plain text only: CDATA is kept byte for byte. parseTagValue off keeps 19-digit MsgIds exact.
// processEntities off and no DOCTYPE: no entity expansion at all, so plain-text values keep "&amp;" literally — Tencent
// wraps every text field in CDATA and sends only numbers as plain text.
const parser = new XMLParser({
  preserveOrder: true,
  parseTagValue: false,
  processEntities: false,
  trimValues: true,
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const builder = new XMLBuilder({ preserveOrder: true, cdataPropName: CDATA, processEntities: false });

function elementName(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ":@" && key !== TEXT);
}

// The text of an element whose children are only text and CDATA; undefined when it holds an element.
function textContent(children: XmlNode[]): string | undefined {
  let text = "";
  for (const child of children) {
    if (TEXT in child) text += String(child[TEXT]);
    else if (CDATA in child) text += textContent(child[CDATA] as XmlNode[]) ?? "";
    else return undefined;
  }
  return text;
}

export function parseWechatXml(body: string): WechatXml {
  // A DOCTYPE is how entity expansion attacks (billion laughs, external entities) get in; WeChat never sends one.
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new WechatXmlError("The XML has a DOCTYPE or ENTITY declaration.");
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new WechatXmlError(`The XML is malformed: ${valid.err.msg}`);
  let document: XmlNode[];
  try {
    document = parser.parse(body) as XmlNode[];
  } catch (error) {
    // fast-xml-parser throws on names such as __proto__.
    throw new WechatXmlError(`The XML is refused: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The validator accepts several roots, so check that there is exactly one, named xml.
  const [root, ...rest] = document;
  if (!root || rest.length > 0 || elementName(root) !== "xml") throw new WechatXmlError("The root is not <xml>.");

  const fields = new Map<string, string>();
  for (const child of root.xml as XmlNode[]) {
    const name = elementName(child);
    if (name === undefined || name === CDATA) continue;
    const text = textContent(child[name] as XmlNode[]);
    if (text === undefined) continue;
    // Which of two values counts would depend on the reader; refuse instead of guessing.
    if (fields.has(name)) throw new WechatXmlError(`The element <${name}> appears twice.`);
    fields.set(name, text);
  }
  // fromEntries defines own properties, so even a field named like a prototype key stays plain data.
  return Object.fromEntries(fields);
}

// Characters XML 1.0 forbids anywhere, CDATA included, and lone surrogates (\p{Cs} in a u-regex matches only unpaired
// ones): WeChat would reject the whole reply over one of them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu;

// "]]>" would close a CDATA section early, so it is split across two: "]]" ends one, ">" starts the next.
function cdataNodes(text: string): XmlNode[] {
  return text
    .replace(XML_FORBIDDEN, "")
    .split("]]>")
    .map((piece, index, pieces) => `${index > 0 ? ">" : ""}${piece}${index < pieces.length - 1 ? "]]" : ""}`)
    .map((piece) => ({ [CDATA]: [{ [TEXT]: piece }] }));
}

/** <xml>…</xml> with strings as CDATA and numbers as plain text, in the order of `fields`. */
export function buildWechatXml(fields: Record<string, string | number>): string {
  const children = Object.entries(fields).map(([name, value]): XmlNode => {
    // The builder writes names as given; only plain element names may reach it.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new WechatXmlError(`"${name}" is not an element name.`);
    if (typeof value === "string") return { [name]: cdataNodes(value) };
    if (!Number.isFinite(value)) throw new WechatXmlError(`<${name}> is not a finite number.`);
    return { [name]: [{ [TEXT]: String(value) }] };
  });
  return builder.build([{ xml: children }]) as string;
}

/** The passive reply with a text message; createTime in seconds. */
export function textReplyXml(input: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return buildWechatXml({
    ToUserName: input.toUser,
    FromUserName: input.fromUser,
    CreateTime: input.createTime,
    MsgType: "text",
    Content: input.content,
  });
}

/** A passive reply in safe mode or WeCom: the plain reply encrypted and signed with the request's timestamp/nonce. */
export function encryptedReplyXml(
  cipher: WechatCipher,
  plainXml: string,
  input: { timestamp: string; nonce: string; random?: Buffer },
): string {
  const encrypt = encryptWechat(cipher, plainXml, input.random);
  return buildWechatXml({
    Encrypt: encrypt,
    MsgSignature: wechatSignature(cipher.token, input.timestamp, input.nonce, encrypt),
    // Tencent's samples write TimeStamp as plain text. Only a timestamp that survives the number round trip is written
    // as one (no leading zeros), since the signature covers its exact characters.
    TimeStamp: /^(0|[1-9]\d{0,14})$/.test(input.timestamp) ? Number(input.timestamp) : input.timestamp,
    Nonce: input.nonce,
  });
}
