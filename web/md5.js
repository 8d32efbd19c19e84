// Incremental MD5 (RFC 1321) for the browser: feed it a file chunk by chunk with update() and read
// the hex digest once with hexDigest(). Plain JavaScript, no dependencies, so no build step.
// The upload node checks the whole file's MD5 against this value (409 CHECKSUM_MISMATCH otherwise).

/** A running MD5: update() any number of times, then hexDigest() once. */
export class MD5 {
  constructor() {
    this.state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
    this.pending = new Uint8Array(64); // bytes of an unfinished 64-byte block
    this.pendingLength = 0;
    this.totalLength = 0; // bytes fed so far (a Number is exact up to 2^53)
    this.words = new Int32Array(16);
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

  /** Runs the compression function over bytes[offset ..< offset + 64] (the 64 steps unrolled). */
  block(bytes, offset) {
    const m = this.words;
    for (let i = 0; i < 16; i++) {
      const o = offset + i * 4;
      m[i] = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
    }
    const state = this.state;
    let a = state[0];
    let b = state[1];
    let c = state[2];
    let d = state[3];
    let x;
    x = ((a + ((b & c) | (~b & d)) + m[0] + -680876936) | 0); a = ((x << 7) | (x >>> 25)) + b | 0;
    x = ((d + ((a & b) | (~a & c)) + m[1] + -389564586) | 0); d = ((x << 12) | (x >>> 20)) + a | 0;
    x = ((c + ((d & a) | (~d & b)) + m[2] + 606105819) | 0); c = ((x << 17) | (x >>> 15)) + d | 0;
    x = ((b + ((c & d) | (~c & a)) + m[3] + -1044525330) | 0); b = ((x << 22) | (x >>> 10)) + c | 0;
    x = ((a + ((b & c) | (~b & d)) + m[4] + -176418897) | 0); a = ((x << 7) | (x >>> 25)) + b | 0;
    x = ((d + ((a & b) | (~a & c)) + m[5] + 1200080426) | 0); d = ((x << 12) | (x >>> 20)) + a | 0;
    x = ((c + ((d & a) | (~d & b)) + m[6] + -1473231341) | 0); c = ((x << 17) | (x >>> 15)) + d | 0;
    x = ((b + ((c & d) | (~c & a)) + m[7] + -45705983) | 0); b = ((x << 22) | (x >>> 10)) + c | 0;
    x = ((a + ((b & c) | (~b & d)) + m[8] + 1770035416) | 0); a = ((x << 7) | (x >>> 25)) + b | 0;
    x = ((d + ((a & b) | (~a & c)) + m[9] + -1958414417) | 0); d = ((x << 12) | (x >>> 20)) + a | 0;
    x = ((c + ((d & a) | (~d & b)) + m[10] + -42063) | 0); c = ((x << 17) | (x >>> 15)) + d | 0;
    x = ((b + ((c & d) | (~c & a)) + m[11] + -1990404162) | 0); b = ((x << 22) | (x >>> 10)) + c | 0;
    x = ((a + ((b & c) | (~b & d)) + m[12] + 1804603682) | 0); a = ((x << 7) | (x >>> 25)) + b | 0;
    x = ((d + ((a & b) | (~a & c)) + m[13] + -40341101) | 0); d = ((x << 12) | (x >>> 20)) + a | 0;
    x = ((c + ((d & a) | (~d & b)) + m[14] + -1502002290) | 0); c = ((x << 17) | (x >>> 15)) + d | 0;
    x = ((b + ((c & d) | (~c & a)) + m[15] + 1236535329) | 0); b = ((x << 22) | (x >>> 10)) + c | 0;
    x = ((a + ((b & d) | (c & ~d)) + m[1] + -165796510) | 0); a = ((x << 5) | (x >>> 27)) + b | 0;
    x = ((d + ((a & c) | (b & ~c)) + m[6] + -1069501632) | 0); d = ((x << 9) | (x >>> 23)) + a | 0;
    x = ((c + ((d & b) | (a & ~b)) + m[11] + 643717713) | 0); c = ((x << 14) | (x >>> 18)) + d | 0;
    x = ((b + ((c & a) | (d & ~a)) + m[0] + -373897302) | 0); b = ((x << 20) | (x >>> 12)) + c | 0;
    x = ((a + ((b & d) | (c & ~d)) + m[5] + -701558691) | 0); a = ((x << 5) | (x >>> 27)) + b | 0;
    x = ((d + ((a & c) | (b & ~c)) + m[10] + 38016083) | 0); d = ((x << 9) | (x >>> 23)) + a | 0;
    x = ((c + ((d & b) | (a & ~b)) + m[15] + -660478335) | 0); c = ((x << 14) | (x >>> 18)) + d | 0;
    x = ((b + ((c & a) | (d & ~a)) + m[4] + -405537848) | 0); b = ((x << 20) | (x >>> 12)) + c | 0;
    x = ((a + ((b & d) | (c & ~d)) + m[9] + 568446438) | 0); a = ((x << 5) | (x >>> 27)) + b | 0;
    x = ((d + ((a & c) | (b & ~c)) + m[14] + -1019803690) | 0); d = ((x << 9) | (x >>> 23)) + a | 0;
    x = ((c + ((d & b) | (a & ~b)) + m[3] + -187363961) | 0); c = ((x << 14) | (x >>> 18)) + d | 0;
    x = ((b + ((c & a) | (d & ~a)) + m[8] + 1163531501) | 0); b = ((x << 20) | (x >>> 12)) + c | 0;
    x = ((a + ((b & d) | (c & ~d)) + m[13] + -1444681467) | 0); a = ((x << 5) | (x >>> 27)) + b | 0;
    x = ((d + ((a & c) | (b & ~c)) + m[2] + -51403784) | 0); d = ((x << 9) | (x >>> 23)) + a | 0;
    x = ((c + ((d & b) | (a & ~b)) + m[7] + 1735328473) | 0); c = ((x << 14) | (x >>> 18)) + d | 0;
    x = ((b + ((c & a) | (d & ~a)) + m[12] + -1926607734) | 0); b = ((x << 20) | (x >>> 12)) + c | 0;
    x = ((a + (b ^ c ^ d) + m[5] + -378558) | 0); a = ((x << 4) | (x >>> 28)) + b | 0;
    x = ((d + (a ^ b ^ c) + m[8] + -2022574463) | 0); d = ((x << 11) | (x >>> 21)) + a | 0;
    x = ((c + (d ^ a ^ b) + m[11] + 1839030562) | 0); c = ((x << 16) | (x >>> 16)) + d | 0;
    x = ((b + (c ^ d ^ a) + m[14] + -35309556) | 0); b = ((x << 23) | (x >>> 9)) + c | 0;
    x = ((a + (b ^ c ^ d) + m[1] + -1530992060) | 0); a = ((x << 4) | (x >>> 28)) + b | 0;
    x = ((d + (a ^ b ^ c) + m[4] + 1272893353) | 0); d = ((x << 11) | (x >>> 21)) + a | 0;
    x = ((c + (d ^ a ^ b) + m[7] + -155497632) | 0); c = ((x << 16) | (x >>> 16)) + d | 0;
    x = ((b + (c ^ d ^ a) + m[10] + -1094730640) | 0); b = ((x << 23) | (x >>> 9)) + c | 0;
    x = ((a + (b ^ c ^ d) + m[13] + 681279174) | 0); a = ((x << 4) | (x >>> 28)) + b | 0;
    x = ((d + (a ^ b ^ c) + m[0] + -358537222) | 0); d = ((x << 11) | (x >>> 21)) + a | 0;
    x = ((c + (d ^ a ^ b) + m[3] + -722521979) | 0); c = ((x << 16) | (x >>> 16)) + d | 0;
    x = ((b + (c ^ d ^ a) + m[6] + 76029189) | 0); b = ((x << 23) | (x >>> 9)) + c | 0;
    x = ((a + (b ^ c ^ d) + m[9] + -640364487) | 0); a = ((x << 4) | (x >>> 28)) + b | 0;
    x = ((d + (a ^ b ^ c) + m[12] + -421815835) | 0); d = ((x << 11) | (x >>> 21)) + a | 0;
    x = ((c + (d ^ a ^ b) + m[15] + 530742520) | 0); c = ((x << 16) | (x >>> 16)) + d | 0;
    x = ((b + (c ^ d ^ a) + m[2] + -995338651) | 0); b = ((x << 23) | (x >>> 9)) + c | 0;
    x = ((a + (c ^ (b | ~d)) + m[0] + -198630844) | 0); a = ((x << 6) | (x >>> 26)) + b | 0;
    x = ((d + (b ^ (a | ~c)) + m[7] + 1126891415) | 0); d = ((x << 10) | (x >>> 22)) + a | 0;
    x = ((c + (a ^ (d | ~b)) + m[14] + -1416354905) | 0); c = ((x << 15) | (x >>> 17)) + d | 0;
    x = ((b + (d ^ (c | ~a)) + m[5] + -57434055) | 0); b = ((x << 21) | (x >>> 11)) + c | 0;
    x = ((a + (c ^ (b | ~d)) + m[12] + 1700485571) | 0); a = ((x << 6) | (x >>> 26)) + b | 0;
    x = ((d + (b ^ (a | ~c)) + m[3] + -1894986606) | 0); d = ((x << 10) | (x >>> 22)) + a | 0;
    x = ((c + (a ^ (d | ~b)) + m[10] + -1051523) | 0); c = ((x << 15) | (x >>> 17)) + d | 0;
    x = ((b + (d ^ (c | ~a)) + m[1] + -2054922799) | 0); b = ((x << 21) | (x >>> 11)) + c | 0;
    x = ((a + (c ^ (b | ~d)) + m[8] + 1873313359) | 0); a = ((x << 6) | (x >>> 26)) + b | 0;
    x = ((d + (b ^ (a | ~c)) + m[15] + -30611744) | 0); d = ((x << 10) | (x >>> 22)) + a | 0;
    x = ((c + (a ^ (d | ~b)) + m[6] + -1560198380) | 0); c = ((x << 15) | (x >>> 17)) + d | 0;
    x = ((b + (d ^ (c | ~a)) + m[13] + 1309151649) | 0); b = ((x << 21) | (x >>> 11)) + c | 0;
    x = ((a + (c ^ (b | ~d)) + m[4] + -145523070) | 0); a = ((x << 6) | (x >>> 26)) + b | 0;
    x = ((d + (b ^ (a | ~c)) + m[11] + -1120210379) | 0); d = ((x << 10) | (x >>> 22)) + a | 0;
    x = ((c + (a ^ (d | ~b)) + m[2] + 718787259) | 0); c = ((x << 15) | (x >>> 17)) + d | 0;
    x = ((b + (d ^ (c | ~a)) + m[9] + -343485551) | 0); b = ((x << 21) | (x >>> 11)) + c | 0;
    state[0] = (state[0] + a) | 0;
    state[1] = (state[1] + b) | 0;
    state[2] = (state[2] + c) | 0;
    state[3] = (state[3] + d) | 0;
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
