import type { Duplex } from 'node:stream';

/** Node's parser errors that mean the request head was too large. */
const TOO_LARGE = new Set(['HPE_HEADER_OVERFLOW', 'HPE_HEADERS_OVERFLOW']);

/**
 * Answers a request Node's HTTP parser refused before express saw it (a head over the
 * server's 16 KB limit, a malformed request line) with an RFC 9457 problem, like every
 * other refusal, instead of Node's bare status line. Meant for the server's `clientError`.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A connection reset or a timeout: there is nobody to answer.
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = error.code !== undefined && TOO_LARGE.has(error.code);
  const status = tooLarge ? 431 : 400;
  const title = tooLarge ? 'Request header fields too large' : 'Bad request';
  const body = JSON.stringify({
    type: `https://deedstream.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status,
    detail: tooLarge
      ? 'the request line and headers exceed 16 KB: send long values in a body'
      : 'the request is not valid HTTP/1.1',
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
