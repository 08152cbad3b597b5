// Certificates made in the test, never checked in: a CA for the receiver's server certificate, one for client certificates, and the certificates they sign.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

type KeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as never);

export interface Issued {
  certificate: string;
  privateKey: string;
  /** When it stops working (what answers and the expiry metric show). */
  notAfter: Date;
}

interface Authority extends Issued {
  keys: KeyPair;
  name: string;
}

async function keyPair(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function pkcs8(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
}

let serial = 1;

export async function certificateAuthority(commonName: string): Promise<Authority> {
  const keys = await keyPair();
  const name = `CN=${commonName}`;
  const notAfter = new Date(Date.now() + 30 * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter,
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { certificate: certificate.toString('pem'), privateKey: await pkcs8(keys.privateKey!), notAfter, keys, name };
}

/** A leaf certificate: a server's (for localhost) or a client's, valid from yesterday until `notAfter`. */
export async function issue(
  authority: Authority,
  commonName: string,
  use: 'server' | 'client',
  notAfter = new Date(Date.now() + 10 * DAY_MS),
): Promise<Issued> {
  const keys = await keyPair();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false),
    new x509.ExtendedKeyUsageExtension([use === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
  ];
  if (use === 'server')
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    );
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject: `CN=${commonName}`,
    issuer: authority.name,
    notBefore: new Date(Math.min(Date.now() - DAY_MS, notAfter.getTime() - DAY_MS)),
    notAfter,
    publicKey: keys.publicKey!,
    signingKey: authority.keys.privateKey!,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { certificate: certificate.toString('pem'), privateKey: await pkcs8(keys.privateKey!), notAfter };
}
