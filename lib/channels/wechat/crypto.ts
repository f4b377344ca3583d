import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Tencent's callback encryption (the WXBizMsgCrypt samples), shared by the Official Account's safe/compatible mode and
// WeCom. No `import "server-only"`: the e2e suite imports this module to sign and encrypt its fixtures.

/** receiveId: the Official Account's AppID, or the WeCom CorpID; it is sealed into every message. */
export type WechatCipher = { token: string; key: Buffer; receiveId: string };

/** A bad EncodingAESKey, or a ciphertext that is not Tencent's format (base64, padding, length, receiveId). */
export class WechatCryptoError extends Error {
  override name = "WechatCryptoError";
}

// The plaintext is padded to a multiple of 32 bytes, not AES's 16: Tencent's PKCS#7 variant, pad values 1..32.
const BLOCK_BYTES = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The key is the 43-character EncodingAESKey plus "=", base64-decoded to the 32 bytes of an AES-256 key. */
export function wechatCipher(input: { token: string; encodingAesKey: string; receiveId: string }): WechatCipher {
  // Anyone can compute a signature over an empty token, so it would authenticate nothing.
  if (!input.token) throw new WechatCryptoError("The token is empty.");
  if (!/^[A-Za-z0-9]{43}$/.test(input.encodingAesKey)) {
    throw new WechatCryptoError("The EncodingAESKey must be 43 letters and digits.");
  }
  const key = Buffer.from(`${input.encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new WechatCryptoError("The EncodingAESKey does not decode to 32 bytes.");
  return { token: input.token, key, receiveId: input.receiveId };
}

/**
 * SHA-1 (hex) of the parts sorted and concatenated: `signature` in plaintext mode is (token, timestamp, nonce),
 * `msg_signature` in safe mode and WeCom is (token, timestamp, nonce, encrypt).
 */
export function wechatSignature(...parts: string[]): string {
  // Default sort compares UTF-16 code units, which is Tencent's byte order for the ASCII values these parts hold.
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

/** Constant-time comparison against wechatSignature(...parts); false for a missing or malformed signature. */
export function isValidWechatSignature(given: string | null | undefined, ...parts: string[]): boolean {
  if (!given) return false;
  const expected = Buffer.from(wechatSignature(...parts));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * base64(AES-256-CBC(random16 + uint32BE(byte length of the message) + message + receiveId + padding)), with the key's
 * first 16 bytes as IV. `random` exists so tests can reproduce Tencent's published ciphertexts.
 */
export function encryptWechat(
  cipher: WechatCipher,
  plaintext: string,
  random: Buffer = randomBytes(RANDOM_BYTES),
): string {
  if (random.length !== RANDOM_BYTES) throw new WechatCryptoError(`The random prefix must be ${RANDOM_BYTES} bytes.`);
  const message = Buffer.from(plaintext, "utf8");
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(message.length);
  const body = Buffer.concat([random, length, message, Buffer.from(cipher.receiveId, "utf8")]);
  const pad = BLOCK_BYTES - (body.length % BLOCK_BYTES);
  const aes = createCipheriv("aes-256-cbc", cipher.key, cipher.key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([aes.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), aes.final()]).toString("base64");
}

/**
 * The inverse of encryptWechat: checks the padding, the length field and that the sealed receiveId is this cipher's.
 * Verify the msg_signature first — it covers the ciphertext, so forged input never reaches the padding checks.
 */
export function decryptWechat(cipher: WechatCipher, encrypted: string): string {
  // Buffer.from(…, "base64") skips characters it does not know instead of failing, so check the alphabet first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || encrypted.length % 4 !== 0) {
    throw new WechatCryptoError("The ciphertext is not base64.");
  }
  const data = Buffer.from(encrypted, "base64");
  if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError("The ciphertext length is wrong.");

  const aes = createDecipheriv("aes-256-cbc", cipher.key, cipher.key.subarray(0, 16)).setAutoPadding(false);
  const padded = Buffer.concat([aes.update(data), aes.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK_BYTES || pad > padded.length || !padded.subarray(-pad).every((byte) => byte === pad)) {
    throw new WechatCryptoError("The padding is wrong.");
  }
  const body = padded.subarray(0, padded.length - pad);
  if (body.length < RANDOM_BYTES + LENGTH_BYTES) throw new WechatCryptoError("The message is too short.");
  const messageEnd = RANDOM_BYTES + LENGTH_BYTES + body.readUInt32BE(RANDOM_BYTES);
  if (messageEnd > body.length) throw new WechatCryptoError("The length field exceeds the message.");
  if (!body.subarray(messageEnd).equals(Buffer.from(cipher.receiveId, "utf8"))) {
    throw new WechatCryptoError("The message was sealed for another receiveId.");
  }
  try {
    return STRICT_UTF8.decode(body.subarray(RANDOM_BYTES + LENGTH_BYTES, messageEnd));
  } catch {
    throw new WechatCryptoError("The message is not UTF-8.");
  }
}

/** Whether `timestamp` (decimal seconds) is within maxAgeSeconds of now, either way: replays older than that fail. */
export function isFreshTimestamp(timestamp: string | null | undefined, now: Date, maxAgeSeconds = 300): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= maxAgeSeconds;
}
