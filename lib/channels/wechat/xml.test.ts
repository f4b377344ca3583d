import { describe, expect, it } from "vitest";
import { decryptWechat, isValidWechatSignature, wechatCipher } from "./crypto";
import { buildWechatXml, encryptedReplyXml, parseWechatXml, textReplyXml, type WechatXml, WechatXmlError } from "./xml";

// WeCom's sample message after decryption, as sbzhu/weworkapi_php callback/Sample.php prints it (see crypto.test.ts).
const weComMessage =
  "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

// The Official Account sample's key, random and ciphertext of "我是中文abcd123" (Tencent's cryptoDemo.zip
// WXBizMsgCryptTest.java, read from bys-ray-zhang/wechat src/com/qq/weixin/mp/aes/WXBizMsgCryptTest.java).
const officialAccount = wechatCipher({
  token: "pamtest",
  encodingAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  receiveId: "wxb11529c136998cb6",
});
const officialRandom = Buffer.from("aaaabbbbccccdddd");
const officialEncrypt = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";

describe("parseWechatXml", () => {
  it("reads Tencent's sample message, every value a string and the 19-digit MsgId exact", () => {
    expect(parseWechatXml(weComMessage)).toEqual({
      ToUserName: "wx5823bf96d3bd56c7",
      FromUserName: "mycreate",
      CreateTime: "1409659813",
      MsgType: "text",
      Content: "hello",
      MsgId: "4561255354251345929",
      AgentID: "218",
    } satisfies WechatXml);
  });

  it("keeps CDATA as is and trims plain text", () => {
    const xml = "<xml><Content><![CDATA[  two spaces\n]]></Content><MsgId>\n  42  \n</MsgId></xml>";
    expect(parseWechatXml(xml)).toEqual({ Content: "  two spaces\n", MsgId: "42" });
  });

  it("reads CDATA surrounded by indentation, as some senders format it", () => {
    expect(parseWechatXml("<xml>\n  <Encrypt>\n    <![CDATA[abc=]]>\n  </Encrypt>\n</xml>")).toEqual({
      Encrypt: "abc=",
    });
  });

  it("reads an XML declaration, attributes, comments and empty elements", () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?><!-- hi --><xml a="1"><Empty/><Blank></Blank><B c="2">x</B></xml>';
    expect(parseWechatXml(xml)).toEqual({ Empty: "", Blank: "", B: "x" });
  });

  it("skips elements that hold elements", () => {
    const xml =
      "<xml><Event><![CDATA[scancode_push]]></Event><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType></ScanCodeInfo></xml>";
    expect(parseWechatXml(xml)).toEqual({ Event: "scancode_push" });
  });

  it("keeps entity references literally, since entity processing is off", () => {
    expect(parseWechatXml("<xml><A>a &amp; b</A></xml>")).toEqual({ A: "a &amp; b" });
  });

  it.each([
    ["a DOCTYPE", '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">]><xml><A>&a;</A></xml>'],
    ["a lower-case doctype", '<!doctype xml SYSTEM "file:///etc/passwd"><xml><A>1</A></xml>'],
    ["an ENTITY declaration on its own", '<xml><!ENTITY a "x"><A>1</A></xml>'],
    ["another root", "<root><A>1</A></root>"],
    ["two roots", "<xml><A>1</A></xml><xml><A>2</A></xml>"],
    ["text after the root", "<xml><A>1</A></xml>tail"],
    ["an unclosed element", "<xml><A>1</xml>"],
    ["no XML at all", "hello"],
    ["an empty body", ""],
    ["a duplicated field", "<xml><Content>a</Content><Content>b</Content></xml>"],
    ["a field named __proto__", "<xml><__proto__>1</__proto__></xml>"],
  ])("refuses %s", (_, body) => {
    expect(() => parseWechatXml(body)).toThrow(WechatXmlError);
  });
});

describe("buildWechatXml", () => {
  it("writes strings as CDATA and numbers as plain text, in order", () => {
    expect(buildWechatXml({ ToUserName: "u", CreateTime: 1348831860 })).toBe(
      "<xml><ToUserName><![CDATA[u]]></ToUserName><CreateTime>1348831860</CreateTime></xml>",
    );
  });

  it.each([
    ["a CDATA terminator", "a]]>b"],
    ["a terminator at both ends and twice in a row", "]]>]]>x]]>"],
    ["markup", "<b>&amp;</b><![CDATA[x]]>"],
    ["Chinese and emoji", "你好 👋🏽"],
    ["surrounding whitespace", "  \n x \n  "],
    ["nothing", ""],
  ])("round-trips %s through build and parse", (_, content) => {
    expect(parseWechatXml(buildWechatXml({ Content: content }))).toEqual({ Content: content });
  });

  it("splits the CDATA section around ]]>", () => {
    expect(buildWechatXml({ Content: "a]]>b" })).toBe("<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>");
  });

  it("drops characters XML forbids, which WeChat would reject the reply for", () => {
    expect(parseWechatXml(buildWechatXml({ Content: "a\u0000b\u0007c\ud800d\tok\n" }))).toEqual({
      Content: "abcd\tok\n",
    });
  });

  it("refuses names that are not plain element names, and numbers that are not finite", () => {
    expect(() => buildWechatXml({ "a><b": "x" })).toThrow(WechatXmlError);
    expect(() => buildWechatXml({ "": "x" })).toThrow(WechatXmlError);
    expect(() => buildWechatXml({ CreateTime: Number.NaN })).toThrow(WechatXmlError);
  });
});

describe("textReplyXml", () => {
  it("writes the passive text reply", () => {
    const xml = textReplyXml({ toUser: "oUser", fromUser: "gh_app", createTime: 1348831860, content: "hi ]]> 你好" });
    expect(xml).toBe(
      "<xml><ToUserName><![CDATA[oUser]]></ToUserName><FromUserName><![CDATA[gh_app]]></FromUserName>" +
        "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>" +
        "<Content><![CDATA[hi ]]]]><![CDATA[> 你好]]></Content></xml>",
    );
    expect(parseWechatXml(xml)).toEqual({
      ToUserName: "oUser",
      FromUserName: "gh_app",
      CreateTime: "1348831860",
      MsgType: "text",
      Content: "hi ]]> 你好",
    });
  });
});

describe("encryptedReplyXml", () => {
  it("wraps the official sample's ciphertext with its msg_signature", () => {
    const xml = encryptedReplyXml(officialAccount, "我是中文abcd123", {
      timestamp: "1409304348",
      nonce: "xxxxxx",
      random: officialRandom,
    });
    const reply = parseWechatXml(xml);
    expect(reply).toEqual({
      Encrypt: officialEncrypt,
      MsgSignature: expect.stringMatching(/^[0-9a-f]{40}$/),
      TimeStamp: "1409304348",
      Nonce: "xxxxxx",
    });
    expect(xml).toContain("<TimeStamp>1409304348</TimeStamp>");
    expect(isValidWechatSignature(reply.MsgSignature, "pamtest", "1409304348", "xxxxxx", officialEncrypt)).toBe(true);
  });

  it("encrypts a text reply that decrypts and parses back", () => {
    const plain = textReplyXml({ toUser: "oUser", fromUser: "gh_app", createTime: 1, content: "回复 🙂" });
    const reply = parseWechatXml(encryptedReplyXml(officialAccount, plain, { timestamp: "1409304348", nonce: "n1" }));
    expect(parseWechatXml(decryptWechat(officialAccount, reply.Encrypt ?? "")).Content).toBe("回复 🙂");
  });

  it("keeps a timestamp with a leading zero as signed", () => {
    const reply = parseWechatXml(encryptedReplyXml(officialAccount, "x", { timestamp: "0123", nonce: "n" }));
    expect(reply.TimeStamp).toBe("0123");
    expect(isValidWechatSignature(reply.MsgSignature, "pamtest", "0123", "n", reply.Encrypt ?? "")).toBe(true);
  });
});
