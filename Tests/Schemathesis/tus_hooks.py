# schemathesis hooks for scripts/schemathesis: tus bodies are `application/offset+octet-stream`
# (raw bytes), a media type schemathesis cannot serialize by itself.
import schemathesis


@schemathesis.serializer("application/offset+octet-stream")
def offset_octet_stream(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")
