import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import busboy from "busboy";
import type { AppError } from "@/lib/errors";

/** One file of a multipart/form-data request, read whole into memory (never past the cap). */
export type MultipartFile = {
  data: Buffer;
  /** As the client named it: for messages only, never trusted for the type. */
  filename: string;
  /** As the client declared it: never trusted either (check the bytes). */
  declaredType: string;
  /** The form's text fields (each at most 1 KB). */
  fields: Record<string, string>;
};

/**
 * Reads the file in form field `field` of a multipart request, streaming: a declared Content-Length past the cap is
 * refused before reading, and the body is cut as soon as the file passes `maxBytes` (a client lying about its size,
 * or sending none, is not buffered past the cap). `tooLarge` makes the error for both; `malformed` the one for a
 * request that is not multipart, has no such file, has more than one file or breaks off (the caller's words: this
 * module has none of its own).
 */
export async function readMultipartFile(
  request: Request,
  {
    field,
    maxBytes,
    tooLarge,
    malformed,
  }: { field: string; maxBytes: number; tooLarge: () => AppError; malformed: () => AppError },
): Promise<MultipartFile> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || !request.body) {
    throw malformed();
  }
  // The form's own boundaries and headers come on top of the file: a little room for them.
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes + 64 * 1024) throw tooLarge();

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 1024, parts: 30 },
    });
  } catch {
    throw malformed();
  }
  const body = Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>);
  return new Promise<MultipartFile>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: Omit<MultipartFile, "fields"> | null = null;
    let failure: AppError | null = null;
    let pending: Promise<void> = Promise.resolve();
    const fail = (error: AppError) => {
      failure ??= error;
      body.unpipe(parser);
      body.destroy();
      reject(failure);
    };
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== field || file) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      pending = new Promise<void>((done) => {
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("limit", () => fail(tooLarge()));
        stream.on("end", () => {
          file = { data: Buffer.concat(chunks), filename: info.filename ?? "", declaredType: info.mimeType ?? "" };
          done();
        });
      });
    });
    parser.on("filesLimit", () => fail(malformed()));
    parser.on("error", () => fail(malformed()));
    body.on("error", () => fail(malformed()));
    parser.on("close", () => {
      void pending.then(() => {
        if (failure) return;
        if (!file) reject(malformed());
        else resolve({ ...file, fields });
      });
    });
    body.pipe(parser);
  });
}
