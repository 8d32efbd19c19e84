public import NIOCore

/// What ``StreamingMultipartParser`` reports while it reads a body, in stream order:
/// `partBegin`, zero or more `bodyChunk`s, `partEnd`, for each part.
public enum MultipartEvent: Sendable, Equatable {
    /// A part starts; its headers are complete and parsed.
    case partBegin(headers: MultipartPartHeaders)
    /// Bytes of the current part's body: a slice of the fed chunk (no copy) whenever the bytes lie in
    /// one chunk, as large as possible. Never empty.
    case bodyChunk(ByteBuffer)
    /// The current part ended (its delimiter was seen).
    case partEnd
}
