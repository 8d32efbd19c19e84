// A small tus 1.0.0 client (creation + core protocol) for the upload node's
// /upload_download_service/uploads/ routes: creates the upload with Upload-Length and Upload-Metadata
// (filename, md5, filetype), sends the file in PATCH chunks with XMLHttpRequest (for upload
// progress), and after a network failure, a 5xx/429 answer or an offset conflict (of the creation,
// a PATCH or a HEAD) waits, asks HEAD for the offset the node holds and goes on from there. The upload's URL is kept in localStorage, so a file
// chosen again after a page reload resumes where it stopped. See docs/web.md for why this is not
// tus-js-client.

import { ServiceError, serviceErrorFrom } from './api.js';

const TUS_VERSION = '1.0.0';

/** Statuses worth a retry after asking HEAD for the offset: the node may be back, or busy. */
const RETRYABLE = new Set([0, 408, 423, 429, 500, 502, 503, 504]);

/** One resumable upload of one File. */
export class TusUpload {
  /**
   * @param {object} options
   * @param {string} options.endpoint  absolute URL of .../upload_download_service/uploads
   * @param {() => string} options.token  the bearer token (read at every request)
   * @param {File} options.file
   * @param {string} options.md5  the whole file's MD5, 32 hex digits
   * @param {number} [options.chunkBytes]  bytes per PATCH (5 MiB = the node's resumablePartBytes)
   * @param {number[]} [options.retryDelays]  milliseconds to wait before each retry
   * @param {(sent: number, total: number) => void} [options.onProgress]
   * @param {(error: ServiceError, attempt: number, delayMilliseconds: number) => void} [options.onRetry]
   */
  constructor({ endpoint, token, file, md5, chunkBytes = 5 * 1024 * 1024, retryDelays = [0, 1000, 3000, 5000, 10000],
    onProgress = () => {}, onRetry = () => {} }) {
    Object.assign(this, { endpoint, token, file, md5, chunkBytes, retryDelays, onProgress, onRetry });
    this.url = null;
    this.offset = 0;
  }

  /** Uploads the file; resolves once the node has committed it (durable), rejects with a ServiceError. */
  async start() {
    let failures = 0;
    let askOffset = false; // after a failure the node's offset is the truth, not ours
    for (;;) {
      try {
        if (!this.url) await this.resumeOrCreate();
        else if (askOffset) this.offset = await this.headOffset(this.url);
        askOffset = false;
        if (this.offset >= this.file.size) break;
        this.offset = await this.patch();
        failures = 0;
      } catch (error) {
        if (!(error instanceof ServiceError) || !this.isRetryable(error) || failures >= this.retryDelays.length) {
          throw error;
        }
        const wait = this.retryDelays[failures++];
        this.onRetry(error, failures, wait);
        await delay(wait);
        askOffset = true;
      }
    }
    localStorage.removeItem(this.storageKey());
  }

  isRetryable(error) {
    return RETRYABLE.has(error.status) || error.code === 'UPLOAD_OFFSET_MISMATCH';
  }

  /** Picks up a stored upload URL for the same file if the node still knows it, else creates one. */
  async resumeOrCreate() {
    const stored = localStorage.getItem(this.storageKey());
    if (stored) {
      try {
        this.offset = await this.headOffset(stored);
        this.url = stored;
        return;
      } catch (error) {
        if (this.isRetryable(error)) throw error; // the node is away: ask about the same upload again
        localStorage.removeItem(this.storageKey()); // finished, expired, terminated or not ours
      }
    }
    const response = await this.send('POST', this.endpoint, {
      'Upload-Length': String(this.file.size),
      'Upload-Metadata': this.metadata(),
    });
    if (response.status !== 201) throw serviceErrorFrom(response.status, response.body);
    this.url = new URL(response.header('Location'), this.endpoint).href;
    this.offset = Number(response.header('Upload-Offset') ?? 0);
    if (this.file.size > 0) localStorage.setItem(this.storageKey(), this.url);
    this.onProgress(this.offset, this.file.size);
  }

  /** `HEAD`: the offset the node holds for the upload at `url`. */
  async headOffset(url) {
    const response = await this.send('HEAD', url, {});
    if (response.status !== 200) throw serviceErrorFrom(response.status, response.body);
    const offset = Number(response.header('Upload-Offset'));
    this.onProgress(offset, this.file.size);
    return offset;
  }

  /** `PATCH` of the next chunk; resolves with the new offset. */
  async patch() {
    const end = Math.min(this.offset + this.chunkBytes, this.file.size);
    const start = this.offset;
    const response = await this.send('PATCH', this.url, {
      'Upload-Offset': String(start),
      'Content-Type': 'application/offset+octet-stream',
    }, this.file.slice(start, end), (sent) => this.onProgress(start + sent, this.file.size));
    if (response.status !== 204) throw serviceErrorFrom(response.status, response.body);
    const offset = Number(response.header('Upload-Offset'));
    this.onProgress(offset, this.file.size);
    return offset;
  }

  /** `Upload-Metadata`: comma-separated `key base64(UTF-8 value)`. */
  metadata() {
    const pairs = [['filename', this.file.name], ['md5', this.md5]];
    if (this.file.type) pairs.push(['filetype', this.file.type]);
    return pairs.map(([key, value]) => `${key} ${base64(value)}`).join(',');
  }

  /** Where the upload URL is kept: the same node, name, size and MD5 mean the same upload. */
  storageKey() {
    return `uds-tus:${this.endpoint}:${this.file.name}:${this.file.size}:${this.md5}`;
  }

  /** One request with the tus and bearer headers; resolves for every HTTP answer, status 0 = no answer. */
  send(method, url, headers, body = null, onUploadProgress = null) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader('Tus-Resumable', TUS_VERSION);
      xhr.setRequestHeader('Authorization', `Bearer ${this.token()}`);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      if (onUploadProgress) xhr.upload.onprogress = (event) => onUploadProgress(event.loaded);
      const settle = () => resolve({
        status: xhr.status,
        body: xhr.responseText,
        header: (name) => xhr.getResponseHeader(name),
      });
      xhr.onload = settle;
      xhr.onerror = settle;
      xhr.onabort = settle;
      xhr.ontimeout = settle;
      xhr.send(body);
    });
  }
}

function base64(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function delay(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
