import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { normaliseEndpoint, readCertificatePem } from '../../src/connections/connection-fields.js';
import { identityCredentials } from '../../src/connections/credential-factory.js';

const PEM = readFileSync(new URL('../fixtures/tls/app-registration.pem', import.meta.url), 'utf8');
const CERT_ONLY = PEM.slice(PEM.indexOf('-----BEGIN CERTIFICATE-----'));
const KEY_ONLY = PEM.slice(0, PEM.indexOf('-----BEGIN CERTIFICATE-----'));

describe('endpoint overrides', () => {
  const cases: [string, string, string | RegExp][] = [
    ['a US Government ARM endpoint', 'https://management.usgovcloudapi.net/', 'https://management.usgovcloudapi.net'],
    ['a local test server with a port', 'https://127.0.0.1:8443', 'https://127.0.0.1:8443'],
    ['an authority with a path', 'https://login.chinacloudapi.cn/', 'https://login.chinacloudapi.cn'],
    ['plain http', 'http://management.azure.com', /must be an https:\/\/ URL/],
    ['a URL with a query', 'https://management.azure.com/?x=1', /query/],
    ['a URL with credentials', 'https://u:p@management.azure.com', /credentials/],
    ['not a URL', 'management.azure.com', /is not a URL/],
  ];
  for (const [name, input, want] of cases) {
    it(`when the override is ${name}, then ${typeof want === 'string' ? `it is stored as ${want}` : 'it is refused'}`, () => {
      const r = normaliseEndpoint(input);
      if (typeof want === 'string') expect(r).toEqual({ url: want });
      else expect('problem' in r && r.problem).toMatch(want);
    });
  }
});

describe('client certificates', () => {
  it('when the PEM holds the key and the certificate, then its SHA-1 thumbprint is what openssl reports', () => {
    expect(readCertificatePem(PEM)).toEqual({ thumbprint: '2C563492C4396DEE014FEC1BCA092DA02571D598' });
  });
  const bad: [string, string, RegExp][] = [
    ['only the certificate', CERT_ONLY, /both the private key and the certificate/],
    ['only the private key', KEY_ONLY, /both the private key and the certificate/],
    ['a damaged private key', PEM.replace(/(PRIVATE KEY-----\n)(.{8})/, '$1AAAAAAAA'), /private key .* cannot be read/],
  ];
  for (const [name, pem, want] of bad) {
    it(`when the PEM has ${name}, then it is refused saying why`, () => {
      const r = readCertificatePem(pem);
      expect('problem' in r && r.problem).toMatch(want);
    });
  }
});

describe('the production credential factory', () => {
  it('when a connection has a client secret, then it signs in with ClientSecretCredential', () => {
    const c = identityCredentials({ tenantId: 't.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', auth: { kind: 'secret', clientSecret: 'x' } });
    expect(c).toBeInstanceOf(ClientSecretCredential);
  });
  it('when a connection has a certificate and a sovereign authority, then it signs in with ClientCertificateCredential', () => {
    const c = identityCredentials({ tenantId: 't.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555',
      auth: { kind: 'certificate', certificatePem: PEM }, authorityHost: 'https://login.microsoftonline.us' });
    expect(c).toBeInstanceOf(ClientCertificateCredential);
  });
});
