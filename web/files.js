// The file list: one page of the user's files (newest first) with size and upload date, paged with
// the listing's cursors, and per file a download (signed link, or the bearer fallback) and a delete.

import { formatBytes } from './uploads.js';

export class FileList {
  /**
   * @param {object} elements  tbody, status, prev, next, pageNumber, pageSize
   * @param {() => import('./api.js').Service} service
   * @param {(text: string, isError?: boolean) => void} say  the page's message line
   */
  constructor(elements, service, say) {
    Object.assign(this, elements, { service, say });
    this.cursors = [null]; // cursors[i] fetches page i + 1
    this.nextCursor = null;
    this.generation = 0; // only the latest of overlapping fetches is shown
    this.prev.addEventListener('click', () => this.turn(-1));
    this.next.addEventListener('click', () => this.turn(+1));
    this.pageSize.addEventListener('change', () => this.reload());
  }

  /** Back to the first page and fetch it. */
  reload() {
    this.cursors = [null];
    return this.show();
  }

  turn(step) {
    if (step > 0 && this.nextCursor) this.cursors.push(this.nextCursor);
    if (step < 0 && this.cursors.length > 1) this.cursors.pop();
    return this.show();
  }

  /** Fetches and renders the current page. */
  async show() {
    const service = this.service();
    const generation = ++this.generation;
    this.tbody.dataset.loaded = 'false';
    if (!service.token || !service.userID) {
      this.tbody.replaceChildren();
      this.status.textContent = 'Set a token (and the user id) to see your files.';
      return;
    }
    try {
      const page = await service.listFiles(Number(this.pageSize.value), this.cursors.at(-1));
      if (generation !== this.generation) return;
      this.nextCursor = page.next_cursor;
      this.tbody.replaceChildren(...page.files.map((file) => this.row(file)));
      this.status.textContent = page.files.length === 0 ? 'No files yet.' : '';
    } catch (error) {
      if (generation !== this.generation) return;
      this.nextCursor = null;
      this.status.textContent = '';
      this.say(`Listing failed: ${error.message}`, true);
    }
    this.pageNumber.textContent = `page ${this.cursors.length}`;
    this.prev.disabled = this.cursors.length <= 1;
    this.next.disabled = !this.nextCursor;
    this.tbody.dataset.loaded = 'true';
  }

  row(file) {
    const tr = document.createElement('tr');
    tr.dataset.name = file.name;
    const created = new Date(file.created_at);
    const cells = [
      ['name', file.name, file.content_type],
      ['number', formatBytes(file.size), `${file.size} bytes`],
      ['date', created.toLocaleString(), file.created_at],
      ['md5', file.md5, file.md5],
    ];
    for (const [className, text, title] of cells) {
      tr.append(Object.assign(document.createElement('td'), { className, textContent: text, title }));
    }
    const actions = Object.assign(document.createElement('td'), { className: 'actions' });
    actions.append(
      this.button('Download', 'download', () => this.download(file.name)),
      this.button('Delete', 'delete', () => this.remove(file.name)),
    );
    tr.append(actions);
    return tr;
  }

  button(label, className, action) {
    const button = Object.assign(document.createElement('button'), { type: 'button', className, textContent: label });
    button.addEventListener('click', action);
    return button;
  }

  /**
   * Downloads through a signed link (an ordinary navigation: the node's Content-Disposition makes
   * it a download, no token in the request). Without the link route, fetches with the token into
   * a Blob instead.
   */
  async download(name) {
    const service = this.service();
    try {
      const link = await service.signedLink(name, 300);
      if (link) {
        clickLink(link, name);
        document.body.dataset.lastDownload = 'signed-link';
        this.say(`Downloading ${name} through a signed link (valid 5 minutes).`);
      } else {
        const url = URL.createObjectURL(await service.downloadBlob(name));
        clickLink(url, name);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        document.body.dataset.lastDownload = 'bearer-blob';
        this.say(`Downloaded ${name} with the token (this download node has no signed links).`);
      }
    } catch (error) {
      this.say(`Download of ${name} failed: ${error.message}`, true);
    }
  }

  async remove(name) {
    if (!confirm(`Delete ${name}?`)) return;
    try {
      await this.service().deleteFile(name);
      this.say(`Deleted ${name}.`);
    } catch (error) {
      this.say(`Delete of ${name} failed: ${error.message}`, true);
    }
    await this.show();
  }
}

function clickLink(href, name) {
  const a = Object.assign(document.createElement('a'), { href, download: name, rel: 'noopener' });
  document.body.append(a);
  a.click();
  a.remove();
}
