import { LookupFunction, isIP } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates as tlsRootCertificates } from 'node:tls';
import { VettedTarget } from './webhook-target';

/** Longest response body read (and thrown away) before the connection is closed. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * A lookup that answers every question with the vetted address: the socket connects there whatever the
 * name resolves to by now (DNS rebinding), while the name stays the TLS server name, the certificate's
 * expected name and the Host header. Node asks with `all: true` when it races address families.
 */
function pinnedLookup(target: VettedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) {
      callback(null, [{ address: target.address, family: target.family }]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}

/**
 * POSTs `body` to a vetted target and resolves with the HTTP status. Redirects are not followed (a 3xx is
 * just a status); the request is aborted by `signal` or after `timeoutMs` without a response. `ca` adds a
 * trusted certificate authority (tests); the system's remain trusted.
 */
export function postPinned(
  target: VettedTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
  ca?: string,
): Promise<number> {
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target),
        // SNI carries names only; an IP literal target is checked against the certificate's IP entries.
        ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
        signal,
        timeout: timeoutMs,
        agent: false,
        ...(ca === undefined ? {} : { ca: [...tlsRootCertificates, ca] }),
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) {
            res.destroy();
          }
        });
        res.on('close', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('webhook request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
