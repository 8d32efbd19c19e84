public import Hummingbird

extension Response {
    /// This `GET` answer as the answer to `HEAD`: the same status and headers (with the
    /// `Content-Length` the body would have had), no body.
    public func withoutBody() -> Response {
        var response = self
        if response.headers[.contentLength] == nil, let length = body.contentLength {
            response.headers[.contentLength] = String(length)
        }
        return response.createHeadResponse()
    }
}
