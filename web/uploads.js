// The upload queue: one row per dropped or chosen file, showing its MD5 pass, its tus upload's
// progress and its outcome — "done", or the service's own error text (413 "Document file size is
// too large", 409 "checksum failed - please attempt reuploading", 403 "client credentials invalid").

import { md5OfBlob } from './md5.js';
import { TusUpload } from './tus.js';

/** Files hashed and uploaded at once; the rest wait their turn. */
const PARALLEL_UPLOADS = 3;

export class UploadQueue {
  /**
   * @param {HTMLUListElement} list  where the rows go
   * @param {() => import('./api.js').Service} service  the current settings, read when a file starts
   * @param {() => void} onUploaded  called after each file the node has committed
   */
  constructor(list, service, onUploaded) {
    Object.assign(this, { list, service, onUploaded });
    this.waiting = [];
    this.running = 0;
  }

  /** Queues files (a FileList or an array of File). */
  add(files) {
    for (const file of files) this.waiting.push({ file, row: this.makeRow(file) });
    this.pump();
  }

  pump() {
    while (this.running < PARALLEL_UPLOADS && this.waiting.length > 0) {
      const job = this.waiting.shift();
      this.running++;
      this.run(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  async run({ file, row }) {
    try {
      const service = this.service();
      row.set('hashing', 'computing MD5…', 0);
      const md5 = await md5InWorker(file, (done, total) => row.set('hashing', 'computing MD5…', done / total));
      row.set('uploading', `uploading (md5 ${md5})`, 0);
      const upload = new TusUpload({
        endpoint: service.tusEndpoint,
        token: () => this.service().token, // a token pasted meanwhile (the old one expired) is used at once
        file,
        md5,
        onProgress: (sent, total) => row.set('uploading', `uploading (md5 ${md5})`, total ? sent / total : 1),
        onRetry: (error, attempt, wait) => row.set(
          'retrying', `${error.message} — retry ${attempt} in ${wait / 1000} s, then on from the node's offset`),
      });
      await upload.start();
      row.set('done', `done — md5 ${md5}, checked by the node`, 1);
      this.onUploaded();
    } catch (error) {
      row.fail(error);
    }
  }

  /** A row for one file, with `set(state, text, fraction)` and `fail(error)`. */
  makeRow(file) {
    const item = document.createElement('li');
    item.className = 'upload';
    item.dataset.name = file.name;
    item.dataset.state = 'queued';
    const name = Object.assign(document.createElement('span'), { className: 'name', textContent: file.name });
    const size = Object.assign(document.createElement('span'), { className: 'size', textContent: formatBytes(file.size) });
    const bar = Object.assign(document.createElement('progress'), { max: 1, value: 0 });
    const status = Object.assign(document.createElement('span'), { className: 'status', textContent: 'queued' });
    item.append(name, size, bar, status);
    this.list.prepend(item);
    return {
      set(state, text, fraction = bar.value) {
        item.dataset.state = state;
        status.textContent = text;
        bar.value = fraction;
      },
      fail(error) {
        item.dataset.state = 'error';
        item.dataset.status = String(error.status ?? '');
        status.replaceChildren();
        if (error.status) {
          const code = Object.assign(document.createElement('span'), { className: 'code' });
          code.textContent = `${error.status}${error.code ? ` ${error.code}` : ''}`;
          status.append(code);
        }
        const text = Object.assign(document.createElement('span'), { className: 'text', textContent: error.message });
        status.append(text);
      },
    };
  }
}

/**
 * The file's MD5 computed in a module worker (web/md5-worker.js), so hashing a large file never
 * stalls the page; on the page's thread where module workers are not available.
 */
function md5InWorker(file, onProgress) {
  let worker;
  try {
    worker = new Worker(new URL('./md5-worker.js', import.meta.url), { type: 'module' });
  } catch {
    return md5OfBlob(file, { onProgress });
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.progress) return onProgress(...data.progress);
      worker.terminate();
      if (data.md5) resolve(data.md5);
      else reject(new Error(`MD5 failed: ${data.error}`));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`MD5 failed: ${event.message}`));
    };
    worker.postMessage({ file });
  });
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes) {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
