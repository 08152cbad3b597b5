// Mutual TLS as a destination setting: the client certificate and key Hookline presents, the CA it trusts for that receiver, their rules, masking and expiry.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { MASK } from './credential-mask';
import { RuleViolationError } from './errors';
import { isSealedHeaderValue, openHeaderValues, sealHeaderValues } from './header-values';

export interface ClientTls {
  /** PEM, the client certificate first, then any intermediates the receiver needs to build the chain. */
  certificate: string;
  /** PEM, unencrypted as a person sends it; sealed (`sealed:…`) once stored; the mask in every answer. */
  private_key: string;
  /** PEM bundle: the only roots trusted for this receiver (a private CA); null: the system's roots. */
  ca: string | null;
}

/** What answers show of a certificate besides its PEM: enough to recognise it and to see when it must be replaced. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  expires_at: string;
  fingerprint_sha256: string;
}

export const MAX_PEM_LENGTH = 64 * 1024;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function invalid(path: string, message: string): RuleViolationError {
  return new RuleViolationError('invalid_client_tls', message, [{ path: `body.client_tls.${path}`, message }]);
}

/** Every certificate of a PEM bundle, in order; throws on a block that does not parse or on none at all. */
function certificatesOf(pem: string, path: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw invalid(path, 'no PEM certificate ("-----BEGIN CERTIFICATE-----") found');
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalid(path, `certificate ${index + 1} of the bundle is not a valid X.509 certificate`);
    }
  });
}

function privateKeyOf(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ERR_MISSING_PASSPHRASE'
        ? 'the private key is encrypted: send it decrypted (Hookline seals it at rest)'
        : 'the private key is not a PEM private key (PKCS#8, PKCS#1 or SEC1)';
    throw invalid('private_key', why);
  }
}

/** The certificate Hookline presents: the first of the `certificate` PEM. */
export function clientCertificate(tls: Pick<ClientTls, 'certificate'>): X509Certificate {
  return certificatesOf(tls.certificate, 'certificate')[0]!;
}

/**
 * A client certificate that cannot work is refused when it is set, not at the first delivery: it must parse, not be
 * expired, and match its private key. `key` opens a stored (sealed) private key kept by a PATCH that replaced the certificate.
 */
export function checkClientTls(tls: ClientTls | null, key: Buffer, now: Date): void {
  if (tls === null) return;
  const certificate = clientCertificate(tls);
  if (new Date(certificate.validTo).getTime() <= now.getTime()) {
    throw invalid('certificate', `the client certificate expired on ${new Date(certificate.validTo).toISOString()}`);
  }
  const privateKey = privateKeyOf(openClientKey(tls.private_key, key));
  if (!certificate.checkPrivateKey(privateKey)) throw invalid('private_key', 'the private key does not belong to the client certificate');
  if (tls.ca !== null) certificatesOf(tls.ca, 'ca');
}

export function summarizeCertificate(certificate: X509Certificate): CertificateSummary {
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    issuer: certificate.issuer.replace(/\n/g, ', '),
    expires_at: new Date(certificate.validTo).toISOString(),
    fingerprint_sha256: certificate.fingerprint256,
  };
}

/** When the client certificate stops working: kept in its own column for the expiry metric. */
export function clientCertificateExpiry(tls: ClientTls | null): Date | null {
  return tls === null ? null : new Date(clientCertificate(tls).validTo);
}

/** What a person sends: never a key that looks sealed, and the mask only where a key is stored to keep. */
export function assertPlainClientTls(requested: ClientTls | null | undefined, stored: ClientTls | null): void {
  if (!requested) return;
  if (isSealedHeaderValue(requested.private_key)) throw invalid('private_key', 'the private key cannot start with "sealed:"');
  if (requested.private_key === MASK && stored === null) throw invalid('private_key', 'send the private key itself: none is stored to keep');
}

/** A key sent back masked (as every read shows it) keeps the stored one. */
export function mergeClientTls(requested: ClientTls | null, stored: ClientTls | null): ClientTls | null {
  if (requested === null || requested.private_key !== MASK || stored === null) return requested;
  return { ...requested, private_key: stored.private_key };
}

export function sealClientTls(tls: ClientTls | null, key: Buffer): ClientTls | null {
  return tls === null ? null : { ...tls, private_key: sealHeaderValues({ key: tls.private_key }, key).key! };
}

export function openClientKey(privateKey: string, key: Buffer): string {
  return openHeaderValues({ key: privateKey }, key).key!;
}

/** The certificate and CA are public; the key never leaves the row unsealed. */
export function maskClientTls(tls: ClientTls | null): (ClientTls & CertificateSummary) | null {
  if (tls === null) return null;
  return { ...tls, private_key: MASK, ...summarizeCertificate(clientCertificate(tls)) };
}
