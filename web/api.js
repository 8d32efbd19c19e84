// The service's HTTP API as the page uses it (docs/api.md): the listing, signed download links,
// bearer downloads and deletes, and the JSON error body {"code", "error"} turned into a ServiceError
// whose message is the service's own `error` text.

/** An error answer of a node (or no answer at all: status 0). `message` is what the service said. */
export class ServiceError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The ServiceError for an answer: the JSON body's `error` and `code`, or a plain description. */
export function serviceErrorFrom(status, bodyText) {
  if (status === 0) return new ServiceError(0, 'NETWORK', 'no answer from the node (network error, CORS, or node down)');
  try {
    const body = JSON.parse(bodyText);
    if (typeof body.error === 'string') return new ServiceError(status, body.code ?? '', body.error);
  } catch {
    // not the service's JSON error body (a proxy's page, an empty HEAD answer): fall through
  }
  return new ServiceError(status, '', `HTTP ${status}`);
}

/**
 * One path segment, percent-encoded. The ids `.` and `..` are ordinary ids for the service but a
 * browser would resolve them as dot-segments, so their dots are encoded too (docs/api.md).
 */
export function encodeSegment(value) {
  const encoded = encodeURIComponent(value);
  return value === '.' || value === '..' ? encoded.replaceAll('.', '%2E') : encoded;
}

/**
 * The user id a token names: the payload's `claim` (`sub` unless the nodes set auth.userClaim).
 * Decoded only, never verified: the nodes verify the token on every request; a wrong id just
 * gets `403 FORBIDDEN` from them. Returns null for a token that is not a readable JWT.
 */
export function userFromToken(token, claim = 'sub') {
  const payload = token.trim().split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder().decode(bytes))[claim];
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** The two nodes, the token and the user the page acts for. */
export class Service {
  /** @param {{uploadBase: string, downloadBase: string, token: string, userID: string}} settings */
  constructor({ uploadBase, downloadBase, token, userID }) {
    Object.assign(this, { uploadBase: trimSlash(uploadBase), downloadBase: trimSlash(downloadBase), token, userID });
  }

  /** Absolute URL of the upload node's tus collection. */
  get tusEndpoint() {
    return `${this.uploadBase}/upload_download_service/uploads`;
  }

  filePath(name) {
    return `/upload_download_service/${encodeSegment(name)}/${encodeSegment(this.userID)}`;
  }

  /** One page of the user's files, newest first: `{files, next_cursor}`. */
  async listFiles(limit, cursor) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    const url = `${this.downloadBase}/upload_download_service/users/${encodeSegment(this.userID)}/files?${query}`;
    return (await this.call('GET', url)).json();
  }

  /**
   * A signed link for one file (`POST …/{fname}/{uid}/link` on the download node): a URL anyone
   * can GET without a token until it expires. Resolves with null when the node has no such route
   * (404 NOT_FOUND or 405: an older download node), so the caller can fall back to downloadBlob.
   */
  async signedLink(name, expiresInSeconds) {
    const url = `${this.downloadBase}${this.filePath(name)}/link?expires_in=${expiresInSeconds}`;
    try {
      return (await (await this.call('POST', url)).json()).url;
    } catch (error) {
      if (error instanceof ServiceError && (error.status === 405 || (error.status === 404 && error.code === 'NOT_FOUND'))) {
        return null;
      }
      throw error;
    }
  }

  /** The file's bytes, fetched with the bearer token (the fallback when there are no signed links). */
  async downloadBlob(name) {
    return (await this.call('GET', `${this.downloadBase}${this.filePath(name)}`)).blob();
  }

  /** Deletes the file (upload node, `204`). */
  async deleteFile(name) {
    await this.call('DELETE', `${this.uploadBase}${this.filePath(name)}`);
  }

  /** fetch with the bearer token; resolves with an ok Response, rejects with a ServiceError. */
  async call(method, url) {
    let response;
    try {
      response = await fetch(url, { method, headers: { Authorization: `Bearer ${this.token}` }, cache: 'no-store' });
    } catch {
      throw serviceErrorFrom(0, '');
    }
    if (!response.ok) throw serviceErrorFrom(response.status, await response.text());
    return response;
  }
}

function trimSlash(url) {
  return url.trim().replace(/\/+$/, '');
}
