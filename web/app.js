// Wires the page: the connection settings (node URLs from ?upload=&download=, the inputs (kept in
// localStorage) or config.js; the token pasted or received as #token=…, kept in sessionStorage only), the drop
// zone and file input, the upload queue and the file list.

import { Service, userFromToken } from './api.js';
import * as config from './config.js';
import { FileList } from './files.js';
import { UploadQueue } from './uploads.js';

const $ = (id) => document.getElementById(id);
const inputs = { uploadBase: $('upload-base'), downloadBase: $('download-base'), token: $('token'), userID: $('user-id') };

/** The settings as they stand in the inputs. */
function currentService() {
  return new Service({
    uploadBase: inputs.uploadBase.value || inputs.uploadBase.placeholder,
    downloadBase: inputs.downloadBase.value || inputs.downloadBase.placeholder,
    token: inputs.token.value.trim(),
    userID: inputs.userID.value,
  });
}

function say(text, isError = false) {
  $('message').textContent = text;
  $('message').classList.toggle('error', isError);
}

/** Fills the inputs: query parameters first, then what this browser kept, then config.js, then the placeholders. */
function loadSettings() {
  const query = new URLSearchParams(location.search);
  inputs.uploadBase.value = query.get('upload') || localStorage.getItem('uds-upload-base') || config.uploadBase;
  inputs.downloadBase.value = query.get('download') || localStorage.getItem('uds-download-base') || config.downloadBase;
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    sessionStorage.setItem('uds-token', fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
  }
  inputs.token.value = sessionStorage.getItem('uds-token') ?? '';
  inputs.userID.value = userFromToken(inputs.token.value) ?? '';
}

function saveSettings() {
  localStorage.setItem('uds-upload-base', inputs.uploadBase.value);
  localStorage.setItem('uds-download-base', inputs.downloadBase.value);
  sessionStorage.setItem('uds-token', inputs.token.value.trim());
}

loadSettings();

const files = new FileList(
  {
    tbody: $('files').tBodies[0], status: $('files-status'), prev: $('prev-page'), next: $('next-page'),
    pageNumber: $('page-number'), pageSize: $('page-size'),
  },
  currentService,
  say,
);
const queue = new UploadQueue($('uploads'), currentService, () => files.reload());

inputs.token.addEventListener('input', () => {
  inputs.userID.value = userFromToken(inputs.token.value) ?? '';
});
for (const input of Object.values(inputs)) {
  input.addEventListener('change', () => {
    saveSettings();
    files.reload();
  });
}
$('refresh').addEventListener('click', () => files.show());

$('file-input').addEventListener('change', (event) => {
  queue.add([...event.target.files]);
  event.target.value = ''; // the same file can be chosen again
});
const dropZone = $('drop-zone');
dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('over');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('over');
  queue.add([...event.dataTransfer.files]);
});
// A file dropped next to the zone would replace the page with the file: ignore such drops.
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

files.reload();
