import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postPinned } from '../src/webhooks/pinned-post';

const NAME = 'hooks.pinned.example';

/** A throw-away certificate for NAME (openssl), valid for a day. */
function certificateFor(name: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sw-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1']
        .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', `/CN=${name}`])
        .concat(['-addext', `subjectAltName=DNS:${name}`]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** HTTPS to a vetted address: the socket goes to the pinned IP, TLS and Host keep the name. */
describe('pinned delivery over https', () => {
  const { key, cert } = certificateFor(NAME);
  const seen: { servername: string | false; host: string | undefined }[] = [];
  const server = createServer({ key, cert }, (req, res) => {
    seen.push({
      servername: (req.socket as unknown as { servername: string | false }).servername,
      host: req.headers.host,
    });
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const target = (host: string) => ({
    url: new URL(`https://${host}:${port}/hook`),
    host,
    address: '127.0.0.1',
    family: 4 as const,
  });

  it('connects to the pinned address without asking DNS, with SNI, certificate check and Host of the name', async () => {
    const status = await postPinned(
      target(NAME),
      '{}',
      { 'content-type': 'application/json' },
      2_000,
      AbortSignal.timeout(5_000),
      cert,
    );
    expect(status).toBe(204);
    expect(seen).toEqual([{ servername: NAME, host: `${NAME}:${port}` }]);
  });

  it('checks the certificate against the name, not the address: another name pinned to it is refused', async () => {
    await expect(
      postPinned(target('other.pinned.example'), '{}', {}, 2_000, AbortSignal.timeout(5_000), cert),
    ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});
