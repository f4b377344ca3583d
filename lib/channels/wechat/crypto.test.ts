import { createCipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptWechat,
  encryptWechat,
  isFreshTimestamp,
  isValidWechatSignature,
  WechatCryptoError,
  wechatCipher,
  wechatSignature,
} from "./crypto";

// WeCom's callback sample, identical in sbzhu/weworkapi_php callback/Sample.php and sbzhu/weworkapi_golang sample.go
// (the SDKs WeCom's documentation links to): a verify-URL request and an encrypted message, with the plaintext the PHP
// sample prints for the latter.
const weCom = {
  cipher: {
    token: "QDG6eK",
    encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    receiveId: "wx5823bf96d3bd56c7",
  },
  verify: {
    msgSignature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    timestamp: "1409659589",
    nonce: "263014780",
    echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
  },
  message: {
    msgSignature: "477715d11cdb4164915debcba66cb864d751f3e6",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt:
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
    plaintext:
      "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
  },
};

// The newer WeCom sample with another key: sbzhu/weworkapi_python callback/Sample.py. It prints neither plaintext, so
// the checks are the signatures and that decryption finds the sample's corp id sealed in.
const weComPython = {
  cipher: {
    token: "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
    encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
    receiveId: "ww1436e0e65a779aee",
  },
  verify: {
    msgSignature: "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
    timestamp: "1476416373",
    nonce: "47744683",
    echostr: "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
  },
  message: {
    msgSignature: "0c3914025cb4b4d68103f6bfc8db550f79dcf48e",
    timestamp: "1476422779",
    nonce: "1597212914",
    encrypt:
      "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+",
  },
};

// The Official Account sample: Java/src/com/qq/weixin/mp/aes/WXBizMsgCryptTest.java in Tencent's cryptoDemo.zip
// (wximg.gtimg.com/shake_tv/mpwiki/cryptoDemo.zip), read from its copy at bys-ray-zhang/wechat
// src/com/qq/weixin/mp/aes/WXBizMsgCryptTest.java: two encryptions with a fixed random and their exact ciphertexts.
const officialAccount = {
  cipher: {
    token: "pamtest",
    encodingAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    receiveId: "wxb11529c136998cb6",
  },
  random: Buffer.from("aaaabbbbccccdddd"),
  short: {
    plaintext: "我是中文abcd123",
    encrypt: "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
  },
  long: {
    plaintext:
      "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>",
    encrypt:
      "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb",
  },
};

const random = Buffer.alloc(16, 7);

// AES-256-CBC over bytes we choose, to build ciphertexts that encryptWechat would never produce.
function encryptRaw(key: Buffer, plain: Buffer): string {
  const aes = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([aes.update(plain), aes.final()]).toString("base64");
}

// Tencent's frame (random, length, message, receiveId), padded to 64 bytes with `pad` (PKCS#7's value by default).
function frame(message: string, options: { declaredLength?: number; pad?: number } = {}): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(options.declaredLength ?? Buffer.byteLength(message));
  const body = Buffer.concat([random, length, Buffer.from(message), Buffer.from(weCom.cipher.receiveId)]);
  return Buffer.concat([body, Buffer.alloc(64 - body.length, options.pad ?? 64 - body.length)]);
}

describe("Tencent's published vectors", () => {
  it("WeCom: verifies the verify-URL signature and decrypts its echostr", () => {
    const cipher = wechatCipher(weCom.cipher);
    const { msgSignature, timestamp, nonce, echostr } = weCom.verify;
    expect(wechatSignature(cipher.token, timestamp, nonce, echostr)).toBe(msgSignature);
    expect(isValidWechatSignature(msgSignature, cipher.token, timestamp, nonce, echostr)).toBe(true);
    expect(decryptWechat(cipher, echostr)).toBe("1616140317555161061");
  });

  it("WeCom: verifies the message signature and decrypts the message to the sample's plaintext", () => {
    const cipher = wechatCipher(weCom.cipher);
    const { msgSignature, timestamp, nonce, encrypt, plaintext } = weCom.message;
    expect(wechatSignature(cipher.token, timestamp, nonce, encrypt)).toBe(msgSignature);
    expect(decryptWechat(cipher, encrypt)).toBe(plaintext);
  });

  it("WeCom (Python sample): verifies both signatures and finds the corp id sealed in", () => {
    const cipher = wechatCipher(weComPython.cipher);
    for (const { msgSignature, timestamp, nonce, encrypted } of [
      { ...weComPython.verify, encrypted: weComPython.verify.echostr },
      { ...weComPython.message, encrypted: weComPython.message.encrypt },
    ]) {
      expect(isValidWechatSignature(msgSignature, cipher.token, timestamp, nonce, encrypted)).toBe(true);
    }
    expect(decryptWechat(cipher, weComPython.verify.echostr)).toMatch(/^\d+$/);
    const message = decryptWechat(cipher, weComPython.message.encrypt);
    expect(message).toContain("<ToUserName>ww1436e0e65a779aee</ToUserName>");
    expect(message).toContain("<Content>你好</Content>");
  });

  it("Official Account: reproduces both published ciphertexts byte for byte and decrypts them back", () => {
    const cipher = wechatCipher(officialAccount.cipher);
    for (const { plaintext, encrypt } of [officialAccount.short, officialAccount.long]) {
      expect(encryptWechat(cipher, plaintext, officialAccount.random)).toBe(encrypt);
      expect(decryptWechat(cipher, encrypt)).toBe(plaintext);
    }
  });
});

describe("wechatCipher", () => {
  it("derives the 32-byte key and keeps token and receiveId", () => {
    const cipher = wechatCipher(weCom.cipher);
    expect(cipher.key).toHaveLength(32);
    expect(cipher).toMatchObject({ token: "QDG6eK", receiveId: "wx5823bf96d3bd56c7" });
  });

  it.each([
    ["42 characters", weCom.cipher.encodingAesKey.slice(1)],
    ["44 characters", `${weCom.cipher.encodingAesKey}A`],
    ["a character outside [A-Za-z0-9]", `+${weCom.cipher.encodingAesKey.slice(1)}`],
    ["nothing", ""],
  ])("refuses an EncodingAESKey of %s", (_, encodingAesKey) => {
    expect(() => wechatCipher({ ...weCom.cipher, encodingAesKey })).toThrow(WechatCryptoError);
  });

  it("refuses an empty token, which would let anyone sign", () => {
    expect(() => wechatCipher({ ...weCom.cipher, token: "" })).toThrow(WechatCryptoError);
  });
});

describe("signatures", () => {
  it("signs the plaintext-mode triple the same whatever the order of the parts", () => {
    expect(wechatSignature("token", "1409659589", "263014780")).toBe(
      wechatSignature("263014780", "token", "1409659589"),
    );
  });

  it.each([
    ["a wrong signature", "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4"],
    ["an upper-case signature", weCom.verify.msgSignature.toUpperCase()],
    ["a truncated signature", weCom.verify.msgSignature.slice(0, 39)],
    ["an empty signature", ""],
    ["no signature", null],
    ["an undefined signature", undefined],
  ])("refuses %s", (_, given) => {
    const { timestamp, nonce, echostr } = weCom.verify;
    expect(isValidWechatSignature(given, weCom.cipher.token, timestamp, nonce, echostr)).toBe(false);
  });

  it("refuses the right signature over a different ciphertext", () => {
    const { msgSignature, timestamp, nonce } = weCom.verify;
    expect(isValidWechatSignature(msgSignature, weCom.cipher.token, timestamp, nonce, weCom.message.encrypt)).toBe(
      false,
    );
  });
});

describe("encryptWechat / decryptWechat", () => {
  const cipher = wechatCipher(weCom.cipher);

  it.each([
    ["Chinese and emoji", "你好，世界 👋🏽 🇨🇳 — ok"],
    ["an empty message", ""],
    ["a message that fills whole blocks", "x".repeat(32 * 4 - 20 - weCom.cipher.receiveId.length)],
  ])("round-trips %s", (_, text) => {
    const encrypted = encryptWechat(cipher, text, random);
    expect(Buffer.from(encrypted, "base64").length % 32).toBe(0);
    expect(decryptWechat(cipher, encrypted)).toBe(text);
  });

  it("uses a fresh random prefix by default", () => {
    expect(encryptWechat(cipher, "hello")).not.toBe(encryptWechat(cipher, "hello"));
  });

  it("refuses a random prefix that is not 16 bytes", () => {
    expect(() => encryptWechat(cipher, "hello", Buffer.alloc(15))).toThrow(WechatCryptoError);
  });

  it("refuses a message sealed for another receiveId", () => {
    const other = wechatCipher({ ...weCom.cipher, receiveId: "wx0000000000000000" });
    expect(() => decryptWechat(other, weCom.message.encrypt)).toThrow(/another receiveId/);
    expect(() => decryptWechat(cipher, encryptWechat(other, "hello", random))).toThrow(WechatCryptoError);
  });

  it("refuses a tampered ciphertext", () => {
    const bytes = Buffer.from(weCom.verify.echostr, "base64");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => decryptWechat(cipher, bytes.toString("base64"))).toThrow(WechatCryptoError);
  });

  it.each([
    ["a zero pad byte", 0],
    ["a pad byte above 32", 33],
  ])("refuses %s", (_, pad) => {
    expect(() => decryptWechat(cipher, encryptRaw(cipher.key, frame("hello", { pad })))).toThrow(/padding/);
  });

  it("refuses padding whose bytes disagree", () => {
    const plain = frame("hello");
    plain[plain.length - 2] = 1;
    expect(() => decryptWechat(cipher, encryptRaw(cipher.key, plain))).toThrow(/padding/);
  });

  it("refuses a length field longer than the message", () => {
    const plain = frame("hello", { declaredLength: 1000 });
    expect(() => decryptWechat(cipher, encryptRaw(cipher.key, plain))).toThrow(/length field/);
  });

  it("refuses a message that is not UTF-8", () => {
    // "é" is two bytes; 0xff 0xff in their place is no UTF-8 at all.
    const plain = frame("\u00e9");
    plain[20] = 0xff;
    plain[21] = 0xff;
    expect(() => decryptWechat(cipher, encryptRaw(cipher.key, plain))).toThrow(/UTF-8/);
  });

  it.each([
    ["an empty string", ""],
    ["characters outside base64", `${weCom.verify.echostr.slice(0, -2)}!=`],
    ["a length that is not a multiple of 4", weCom.verify.echostr.slice(1)],
    ["a whole number of bytes that is not whole AES blocks", Buffer.alloc(40).toString("base64")],
  ])("refuses %s", (_, encrypted) => {
    expect(() => decryptWechat(cipher, encrypted)).toThrow(WechatCryptoError);
  });
});

describe("isFreshTimestamp", () => {
  const now = new Date(1_409_659_813_000);

  it.each([
    ["now", "1409659813", true],
    ["300 s old", "1409659513", true],
    ["301 s old", "1409659512", false],
    ["300 s ahead", "1409660113", true],
    ["301 s ahead", "1409660114", false],
    ["not a number", "14096598x3", false],
    ["in exponent notation", "1.4e9", false],
    ["negative", "-1409659813", false],
    ["empty", "", false],
    ["missing", null, false],
    ["undefined", undefined, false],
  ])("a timestamp %s → %s", (_, timestamp, fresh) => {
    expect(isFreshTimestamp(timestamp, now)).toBe(fresh);
  });

  it("takes another window", () => {
    expect(isFreshTimestamp("1409659753", now, 60)).toBe(true);
    expect(isFreshTimestamp("1409659752", now, 60)).toBe(false);
  });
});
