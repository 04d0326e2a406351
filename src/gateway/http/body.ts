import type { IncomingMessage } from 'node:http';
import { OpenAiError, OpenAiErrorType } from '../openai/errors.js';

/** Reads a request body up to `limitBytes`; a larger body is refused with 413 before it is all read. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limitBytes) {
      reject(tooLarge(limitBytes));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limitBytes) {
        reject(tooLarge(limitBytes));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(limitBytes: number): OpenAiError {
  return new OpenAiError(413, `The request body is larger than ${limitBytes} bytes.`, OpenAiErrorType.invalidRequest, 'request_too_large');
}
