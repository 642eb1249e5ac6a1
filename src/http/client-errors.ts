import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const BAD_REQUEST = JSON.stringify({ responseCode: '4000000', responseMessage: 'Bad Request' });

/**
 * Requests Node's parser refuses before the public handler sees them (a header line with a bare CR or LF,
 * headers over 16 KB, a malformed request line) get a SNAP body like every other answer, instead
 * of Node's bare 400/431. Time-outs keep Node's 408; a reset socket is just closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BAD_REQUEST)}\r\nConnection: close\r\n\r\n${BAD_REQUEST}`);
  });
}
