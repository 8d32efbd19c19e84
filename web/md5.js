// Incremental MD5 (RFC 1321) for the browser: feed it a file chunk by chunk with update() and read
// the hex digest once with hexDigest(). Plain JavaScript, no dependencies, so no build step.
// The upload node checks the whole file's MD5 against this value (409 CHECKSUM_MISMATCH otherwise).

/** Per-round left-rotation amounts. */
const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

/** K[i] = floor(|sin(i + 1)| * 2^32), the additive constants. */
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) >>> 0);

/** A running MD5: update() any number of times, then hexDigest() once. */
export class MD5 {
  constructor() {
    this.state = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
    this.pending = new Uint8Array(64); // bytes of an unfinished 64-byte block
    this.pendingLength = 0;
    this.totalLength = 0; // bytes fed so far (a Number is exact up to 2^53)
    this.words = new Uint32Array(16);
  }

  /** Feeds bytes (a Uint8Array or an ArrayBuffer). */
  update(data) {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    this.totalLength += bytes.length;
    let index = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(64 - this.pendingLength, bytes.length);
      this.pending.set(bytes.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      index = take;
      if (this.pendingLength < 64) return this;
      this.block(this.pending, 0);
      this.pendingLength = 0;
    }
    for (; index + 64 <= bytes.length; index += 64) this.block(bytes, index);
    this.pending.set(bytes.subarray(index), 0);
    this.pendingLength = bytes.length - index;
    return this;
  }

  /** Pads, finishes and returns the digest as 32 lowercase hex digits. Call it once. */
  hexDigest() {
    const bitLength = this.totalLength * 8;
    const padding = new Uint8Array((this.pendingLength < 56 ? 56 : 120) - this.pendingLength + 8);
    padding[0] = 0x80;
    const view = new DataView(padding.buffer);
    view.setUint32(padding.length - 8, bitLength >>> 0, true);
    view.setUint32(padding.length - 4, Math.floor(bitLength / 0x100000000), true);
    const fedBefore = this.totalLength;
    this.update(padding);
    this.totalLength = fedBefore;
    let hex = '';
    for (const word of this.state) {
      for (let shift = 0; shift < 32; shift += 8) hex += ((word >>> shift) & 0xff).toString(16).padStart(2, '0');
    }
    return hex;
  }

  /** Runs the compression function over bytes[offset ..< offset + 64]. */
  block(bytes, offset) {
    const m = this.words;
    for (let i = 0; i < 16; i++) {
      const o = offset + i * 4;
      m[i] = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
    }
    let [a, b, c, d] = this.state;
    for (let i = 0; i < 64; i++) {
      let f;
      let g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + K[i] + m[g]) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << SHIFTS[i]) | (sum >>> (32 - SHIFTS[i])))) | 0;
    }
    this.state[0] += a;
    this.state[1] += b;
    this.state[2] += c;
    this.state[3] += d;
  }
}

/**
 * The MD5 of a File or Blob, read in chunks of `chunkBytes` with Blob.slice, so memory stays at one
 * chunk whatever the file's size. `onProgress(bytesDone, total)` is called after each chunk.
 */
export async function md5OfBlob(blob, { chunkBytes = 4 * 1024 * 1024, onProgress = () => {} } = {}) {
  const md5 = new MD5();
  for (let offset = 0; offset < blob.size; offset += chunkBytes) {
    const chunk = await blob.slice(offset, Math.min(offset + chunkBytes, blob.size)).arrayBuffer();
    md5.update(chunk);
    onProgress(Math.min(offset + chunkBytes, blob.size), blob.size);
  }
  return md5.hexDigest();
}
