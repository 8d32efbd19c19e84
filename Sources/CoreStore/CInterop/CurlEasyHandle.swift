internal import CStubs

/// The owner of one libcurl easy handle (`CURL*`): typed `setopt`s over the CStubs shims.
///
/// A handle keeps its connection cache across ``reset()``, so reusing one (via
/// ``CurlHandlePool``) reuses keep-alive connections.
final class CurlEasyHandle: @unchecked Sendable {  // one thread at a time: owned by the pool or by exactly one transfer
    /// `curl_global_init` runs once, before the first handle exists (a lazy static is thread-safe).
    private static let globalInitResult: CURLcode = cstubs_curl_global_init()

    private let handle: UnsafeMutableRawPointer

    /// Creates a handle with `CURLOPT_NOSIGNAL` set.
    /// - Throws: `CoreStoreError(.internalError)` when libcurl cannot initialise.
    init() throws(CoreStoreError) {
        guard Self.globalInitResult == CURLE_OK, let handle = curl_easy_init() else {
            throw CoreStoreError(.internalError)
        }
        self.handle = handle
        set(CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Forgets every option of the previous request but keeps the connection cache.
    func reset() {
        curl_easy_reset(handle)
        set(CURLOPT_NOSIGNAL, 1)
    }

    /// Sets a `long` option.
    @discardableResult
    func set(_ option: CURLoption, _ value: Int) -> CURLcode {
        cstubs_curl_setopt_long(handle, option, value)
    }

    /// Sets a `curl_off_t` option (the `*_LARGE` ones).
    @discardableResult
    func set(_ option: CURLoption, offset value: Int64) -> CURLcode {
        cstubs_curl_setopt_off(handle, option, curl_off_t(value))
    }

    /// Sets a string option; curl copies the string.
    @discardableResult
    func set(_ option: CURLoption, _ value: String) -> CURLcode {
        cstubs_curl_setopt_string(handle, option, value)
    }

    /// Sets a pointer option (`*DATA` contexts, the header list).
    @discardableResult
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) -> CURLcode {
        cstubs_curl_setopt_pointer(handle, option, value)
    }

    /// Sets `WRITEFUNCTION` or `HEADERFUNCTION`.
    @discardableResult
    func set(_ option: CURLoption, writeCallback: curl_write_callback) -> CURLcode {
        cstubs_curl_setopt_write_callback(handle, option, writeCallback)
    }

    /// Sets `READFUNCTION`.
    @discardableResult
    func setReadCallback(_ callback: curl_read_callback) -> CURLcode {
        cstubs_curl_setopt_read_callback(handle, callback)
    }

    /// Sets `XFERINFOFUNCTION` (progress; returning non-zero aborts the transfer).
    @discardableResult
    func setTransferInfoCallback(_ callback: curl_xferinfo_callback) -> CURLcode {
        cstubs_curl_setopt_xferinfo_callback(handle, callback)
    }

    /// Runs the configured request (blocks; call on the ``BlockingPool`` only).
    func perform() -> CURLcode {
        curl_easy_perform(handle)
    }

    /// The last response's HTTP status (0 when none arrived).
    func responseCode() -> Int {
        var code = 0
        _ = cstubs_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// libcurl's text for a result code (for logs, never for clients).
    static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
