import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { ProblemFieldError } from '../http/errors.js';

export const ENDPOINT_NAMES = ['authorityHost', 'arm', 'logAnalytics', 'graph'] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];
export type Endpoints = Partial<Record<EndpointName, string>>;

/**
 * An endpoint override, normalised (no trailing slash), or a problem. Only https: the Azure SDKs refuse to send a bearer
 * token over plain http, and a secret-bearing sign-in must not go out unencrypted either.
 */
export function normaliseEndpoint(text: string): { url: string } | { problem: string } {
  let u: URL;
  try { u = new URL(text); } catch { return { problem: `${JSON.stringify(text)} is not a URL` }; }
  if (u.protocol !== 'https:') return { problem: `${text} must be an https:// URL` };
  if (u.username || u.password || u.search || u.hash) return { problem: `${text} must not carry credentials, a query or a fragment` };
  return { url: `${u.origin}${u.pathname}`.replace(/\/+$/, '') };
}

export function normaliseEndpoints(input: Record<string, string | undefined> | undefined, errors: ProblemFieldError[]): Endpoints {
  const out: Endpoints = {};
  for (const name of ENDPOINT_NAMES) {
    const v = input?.[name];
    if (v === undefined || v === '') continue;
    const r = normaliseEndpoint(v);
    if ('problem' in r) errors.push({ pointer: `/endpoints/${name}`, message: r.problem });
    else out[name] = r.url;
  }
  return out;
}

/**
 * Checks a client certificate as @azure/identity needs it: one PEM text holding the private key and the certificate.
 * Returns the certificate's SHA-1 thumbprint (what the app registration's Certificates page shows), or a problem.
 */
export function readCertificatePem(pem: string): { thumbprint: string } | { problem: string } {
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  const key = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(pem);
  if (!cert || !key) return { problem: 'the certificate must be PEM text holding both the private key and the certificate' };
  try {
    createPrivateKey(key[0]);
  } catch {
    return { problem: 'the private key in the PEM cannot be read (an encrypted key is not supported)' };
  }
  try {
    return { thumbprint: new X509Certificate(cert[0]).fingerprint.replace(/:/g, '') };
  } catch {
    return { problem: 'the certificate in the PEM cannot be read' };
  }
}
