// Computes a File's MD5 off the page's thread: receives {file}, posts {progress: [done, total]}
// after each slice and {md5} (or {error}) at the end. A module worker over web/md5.js.

import { md5OfBlob } from './md5.js';

self.onmessage = async ({ data: { file } }) => {
  try {
    const md5 = await md5OfBlob(file, { onProgress: (done, total) => self.postMessage({ progress: [done, total] }) });
    self.postMessage({ md5 });
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error) });
  }
};
