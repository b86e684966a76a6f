import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../../src/errors/index.js';
import { bcryptHash } from '../../../src/gotemplate/blowfish.js';
import { parse } from '../../../src/gotemplate/index.js';

const render = (text: string, data: unknown = null): string => parse('t', text).execute(data);

describe('sprig crypto', () => {
  it('bcrypt matches golang.org/x/crypto/bcrypt for a fixed salt', () => {
    // Verified with bcrypt.CompareHashAndPassword from golang.org/x/crypto v0.26.0.
    const salt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    assert.equal(
      bcryptHash(Buffer.from('password'), salt, 10),
      '$2a$10$..CA.uOD/eaGAOmJB.yMBuHtICrZkZBO5AdQ7Nw5WEmWQZKVA0IkK',
    );
    assert.equal(
      bcryptHash(Buffer.from(''), salt, 4),
      '$2a$04$..CA.uOD/eaGAOmJB.yMBuq1wbVgYezarXi1FgOYk1qMNtxVndjJm',
    );
  });

  it('expensive functions are limited per execution, not per template', () => {
    const t = parse('t', '{{ range until 17 }}{{ genPrivateKey "ed25519" | len }}{{ end }}');
    assert.throws(
      () => t.execute(null),
      (err: unknown) =>
        err instanceof SlipwayError && err.code === 'TEMPLATE_LIMIT' && /more than 16/.test(err.message),
    );
    const ok = parse('t', '{{ range until 16 }}{{ genPrivateKey "ed25519" | len }},{{ end }}');
    assert.equal(ok.execute(null).split(',').length, 17);
    assert.equal(ok.execute(null).split(',').length, 17);
  });

  it('bcrypt refuses passwords over 72 bytes as Go does', () => {
    assert.equal(
      render(`{{ bcrypt "${'x'.repeat(73)}" }}`),
      'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes',
    );
  });

  it('genPrivateKey gives keys node can load, in the PEM types Go writes', () => {
    for (const [type, header] of [
      ['ecdsa', 'EC PRIVATE KEY'],
      ['ed25519', 'PRIVATE KEY'],
    ] as const) {
      const pem = render(`{{ genPrivateKey "${type}" }}`);
      assert.ok(pem.startsWith(`-----BEGIN ${header}-----\n`), pem);
      createPrivateKey(pem);
    }
  });

  it('encryptAES output decrypts and uses a fresh IV each time', () => {
    const a = render('{{ encryptAES "k" "text" }}');
    const b = render('{{ encryptAES "k" "text" }}');
    assert.notEqual(a, b);
    assert.equal(render(`{{ decryptAES "k" "${a}" }}`), 'text');
    assert.equal(Buffer.from(a, 'base64').length, 32);
  });

  it('randBytes is base64 of the asked length', () => {
    assert.equal(Buffer.from(render('{{ randBytes 24 }}'), 'base64').length, 24);
  });

  it('genCA, genSignedCert and genSelfSignedCert make X.509 v3 certificates that verify', () => {
    const now = new Date('2024-03-05T07:08:09.123Z');
    const out = parse(
      't',
      `{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "svc" (list "10.0.0.1" "::1") (list "svc.local") 30 $ca }}` +
        `{{ $s := genSelfSignedCert "self" nil (list "a.example") 7 }}` +
        `{{ $ca.Cert }}|{{ $ca.Key }}|{{ $c.Cert }}|{{ $c.Key }}|{{ $s.Cert }}|{{ $s.Key }}`,
    ).execute(null, { now });
    const [caPem = '', caKey = '', leafPem = '', leafKey = '', selfPem = '', selfKey = ''] = out.split('|');
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(leafPem);
    const self = new X509Certificate(selfPem);
    assert.equal(ca.subject, 'CN=my-ca');
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey));
    assert.equal(ca.validFrom, 'Mar  5 07:08:09 2024 GMT');
    assert.equal(ca.validTo, 'Mar  5 07:08:09 2025 GMT');
    assert.equal(leaf.ca, false);
    assert.equal(leaf.issuer, 'CN=my-ca');
    assert.ok(leaf.checkIssued(ca));
    assert.ok(leaf.verify(ca.publicKey));
    assert.equal(leaf.subjectAltName, 'DNS:svc.local, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.ok(self.verify(self.publicKey));
    assert.equal(self.subjectAltName, 'DNS:a.example');
    assert.ok(caKey.startsWith('-----BEGIN RSA PRIVATE KEY-----\n'));
    assert.ok(leafKey.startsWith('-----BEGIN RSA PRIVATE KEY-----\n'));
    assert.ok(selfKey.startsWith('-----BEGIN RSA PRIVATE KEY-----\n'));
    assert.ok(leaf.publicKey.equals(createPublicKey(createPrivateKey(leafKey))));
  });

  it('the WithKey variants use the given PEM key and buildCustomCert round-trips', () => {
    const out = render(
      '{{ $k := genPrivateKey "ecdsa" }}{{ $ca := genCAWithKey "ca" 1 $k }}' +
        '{{ $c := genSignedCertWithKey "leaf" nil nil 1 $ca (genPrivateKey "ed25519") }}' +
        '{{ $b := buildCustomCert (b64enc $c.Cert) (b64enc $c.Key) }}' +
        '{{ eq $ca.Key $k }}|{{ $ca.Cert }}|{{ $b.Cert }}',
    );
    const [same, caPem = '', leafPem = ''] = out.split('|');
    assert.equal(same, 'true');
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(leafPem);
    assert.ok(ca.verify(ca.publicKey));
    assert.ok(leaf.verify(ca.publicKey));
    assert.equal(leaf.publicKey.asymmetricKeyType, 'ed25519');
  });

  it('certificate errors read as sprig reports them', () => {
    assert.throws(
      () => render('{{ genCAWithKey "ca" 1 "nope" }}'),
      /parsing private key: no PEM data in input/,
    );
    assert.throws(() => render('{{ buildCustomCert "!!" "" }}'), /unable to decode base64 certificate/);
    assert.throws(
      () => render('{{ genSignedCert "x" nil nil 1 "ca" }}'),
      /expected sprig.certificate; got string/,
    );
    assert.throws(() => render('{{ genSelfSignedCert "x" (list "nope") nil 1 }}'), /error parsing ip: nope/);
  });
});
