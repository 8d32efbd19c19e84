// Drives tus-js-client (the vendored bundle beside this file) for TusJsClientResumeTests: one
// upload, or the resumption of one, with the client's own file source and HTTP stack.
//
// node upload.cjs <create|resume> <url> <token> <file> <md5-hex> <chunk-bytes> <stop-after-bytes> [pace-after-bytes]
//   create            url is the tus endpoint (POST creates the upload)
//   resume            url is an upload URL (tus-js-client sends HEAD and goes on from its Upload-Offset;
//                     no endpoint is given, so an unknown upload is an error, not a new upload)
//   stop-after-bytes  upload.abort() once onChunkComplete reports at least this offset (0: never)
//   pace-after-bytes  request bodies past this offset flow at 1 MiB/s (so a test can kill the node
//                     while a chunk is in flight, like curl --limit-rate in TusResumeTests)
//
// Prints one JSON line per completed chunk, {"event":"chunk","offset":N}, and at the end one line
// {"event":"result","url":…,"startOffset":…,"offset":…,"bytesSent":…,"patches":[…],"error":…}:
// startOffset is the offset of the first PATCH, offset the last one the node acknowledged,
// bytesSent the bytes read into PATCH bodies, patches the Upload-Offset of every PATCH.
// Exits 0 when the upload completed or stopped as asked, 1 on an error. No retries (retryDelays
// null), no URL storage.
'use strict'
const fs = require('fs')
const path = require('path')
const { Transform } = require('stream')
const tus = require('./tus-js-client-4.3.1.cjs')

const [mode, url, token, file, md5, chunkText, stopText, paceText] = process.argv.slice(2)
if (!['create', 'resume'].includes(mode) || !md5 || !chunkText || stopText === undefined) {
  console.error('usage: node upload.cjs <create|resume> <url> <token> <file> <md5-hex> <chunk> <stop-after> [pace-after]')
  process.exit(2)
}
const chunkSize = Number(chunkText)
const stopAfter = Number(stopText)
const paceAfter = paceText === undefined ? Number.POSITIVE_INFINITY : Number(paceText)
const paceBytesPerSecond = 1024 * 1024
const fileSize = fs.statSync(file).size

let bytesSent = 0
let offset = null
const patches = []

/** A pass-through that counts the bytes of a PATCH body and, past `paceAfter`, slows them down. */
function observe(body, start) {
  const paced = start >= paceAfter
  const counter = new Transform({
    transform(chunk, _encoding, callback) {
      bytesSent += chunk.length
      if (paced) setTimeout(() => callback(null, chunk), (chunk.length / paceBytesPerSecond) * 1000)
      else callback(null, chunk)
    },
  })
  counter.size = body.size
  body.on('error', (error) => counter.destroy(error))
  return body.pipe(counter)
}

// tus-js-client's own file reader (an fs.ReadStream becomes its FileSource); the wrapper only sees
// the slices go by.
const fileReader = {
  async openFile(input, size) {
    const source = await tus.defaultOptions.fileReader.openFile(input, size)
    return {
      size: source.size,
      async slice(start, end) {
        const slice = await source.slice(start, end)
        return { ...slice, value: observe(slice.value, start) }
      },
      close: () => source.close(),
    }
  },
}

function finish(error) {
  const result = { event: 'result', url: upload.url, startOffset: patches[0] ?? null, offset, bytesSent, patches }
  result.error = error ? String(error.message || error) : null
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exit(error ? 1 : 0)
}

const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint: mode === 'create' ? url : null,
  uploadUrl: mode === 'resume' ? url : null,
  chunkSize,
  metadata: { filename: path.basename(file), md5 },
  headers: { Authorization: `Bearer ${token}` },
  retryDelays: null,
  storeFingerprintForResuming: false,
  fileReader,
  onBeforeRequest(request) {
    if (request.getMethod() === 'PATCH') patches.push(Number(request.getHeader('Upload-Offset')))
  },
  onChunkComplete(_chunk, accepted) {
    offset = accepted
    process.stdout.write(`${JSON.stringify({ event: 'chunk', offset: accepted })}\n`)
    if (stopAfter > 0 && accepted >= stopAfter && accepted < fileSize) {
      upload.abort().then(() => finish(null), finish)
    }
  },
  onSuccess: () => finish(null),
  onError: (error) => finish(error),
})
upload.start()
