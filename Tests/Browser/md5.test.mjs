// web/md5.js against Node's crypto MD5 and RFC 1321's test suite, fed whole and in uneven chunks.
// Run: node --test Tests/Browser/md5.test.mjs
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MD5, md5OfBlob } from '../../web/md5.js';

const rfc1321 = {
  '': 'd41d8cd98f00b204e9800998ecf8427e',
  a: '0cc175b9c0f1b6a831c399e269772661',
  abc: '900150983cd24fb0d6963f7d28e17f72',
  'message digest': 'f96b697d7cb7938d525a2f31aaf161d0',
  abcdefghijklmnopqrstuvwxyz: 'c3fcd3d76192e4007dfb496cca67e13b',
  ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789: 'd174ab98d277d9f5a5611c2c9f419d9f',
  '12345678901234567890123456789012345678901234567890123456789012345678901234567890':
    '57edf4a22be3c955ac49da2e2107b67a',
};

test('RFC 1321 test suite', () => {
  for (const [text, expected] of Object.entries(rfc1321)) {
    assert.equal(new MD5().update(new TextEncoder().encode(text)).hexDigest(), expected, JSON.stringify(text));
  }
});

test('every length around the padding boundaries, fed in uneven chunks', () => {
  const data = randomBytes(300);
  for (let length = 0; length <= data.length; length++) {
    const bytes = data.subarray(0, length);
    const md5 = new MD5();
    for (let offset = 0, step = 1; offset < length; offset += step, step = (step * 7) % 61 + 1) {
      md5.update(bytes.subarray(offset, Math.min(offset + step, length)));
    }
    assert.equal(md5.hexDigest(), createHash('md5').update(bytes).digest('hex'), `length ${length}`);
  }
});

test('md5OfBlob reads a Blob in slices', async () => {
  const data = randomBytes(1024 * 1024 + 13);
  const seen = [];
  const hex = await md5OfBlob(new Blob([data]), { chunkBytes: 100000, onProgress: (done) => seen.push(done) });
  assert.equal(hex, createHash('md5').update(data).digest('hex'));
  assert.equal(seen.length, 11);
  assert.equal(seen.at(-1), data.length);
});
