"""A small HTTP/1.1 client on asyncio streams, for load that must not eat the machine it measures.

The deadline rush runs its 300+ clients on the same two cores as gunicorn, PostgreSQL and the
worker. With ``httpx.AsyncClient`` the clients themselves took about 40 % of the CPU the
portal had during a burst (an SSL context per client, and h11/anyio per request): the latency
measured was then largely the load generator's. Real applicants sit on machines of their own, so
the client here does as little as it can: one connection per request (gunicorn's sync workers
close it anyway), the request written as bytes, the answer read to the end. It speaks only what
the benchmark needs: GET and form POST, a Content-Length or chunked body, no redirects followed.
"""

import asyncio
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit


class HTTPError(Exception):
    """The connection failed, timed out or the answer could not be read."""


@dataclass
class Response:
    status_code: int
    headers: dict[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def _dechunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


def parse(raw: bytes) -> Response:
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise HTTPError(f"no complete answer ({len(raw)} bytes)")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError) as error:
        raise HTTPError(f"bad status line {lines[0]!r}") from error
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body)
    elif "content-length" in headers:
        body = body[: int(headers["content-length"])]
    return Response(status, headers, body)


class Client:
    """``Client(base_url, headers)``: ``await client.get(path)``, ``await client.post(path, data=…)``."""

    def __init__(self, base_url: str, *, headers: dict[str, str] | None = None, timeout: float = 120) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = {"Host": parts.netloc, **(headers or {})}
        self.timeout = timeout

    async def get(self, path: str) -> Response:
        return await self.request("GET", path)

    async def post(self, path: str, *, data: dict[str, str]) -> Response:
        body = urlencode(data, doseq=True).encode()
        return await self.request(
            "POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )

    async def request(self, method: str, path: str, *, body: bytes = b"", headers: dict | None = None) -> Response:
        lines = [f"{method} {path} HTTP/1.1"]
        for name, value in {**self.headers, **(headers or {}), "Connection": "close"}.items():
            lines.append(f"{name}: {value}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            return await asyncio.wait_for(self._exchange(request), self.timeout)
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
            raise HTTPError(f"{method} {path}: {type(error).__name__}") from error

    async def _exchange(self, request: bytes) -> Response:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(request)
            await writer.drain()
            raw = await reader.read()  # to the end: the server closes after the answer
        finally:
            writer.close()
        return parse(raw)
