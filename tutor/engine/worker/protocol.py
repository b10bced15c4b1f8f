"""The wire format between the grader, the zygote and its children. Standard library + NumPy.

This file is imported by the trusted parent (as tutor.engine.worker.protocol) and by the
worker script (as plain `protocol`), so it must never import tutor or torch.

A frame is   u32 header length | u64 payload length | JSON header | payload
The payload is the raw bytes of the arrays listed in header["arrays"] as [dtype code,
shape], back to back. Arrays are rebuilt with np.frombuffer: no pickle anywhere, and every
length is checked against the caps before anything is allocated, because the side that
reads may be talking to learner code.
"""
from __future__ import annotations

import json
import math
import mmap
import os
import re
import select
import struct
import time

import numpy as np

PREFIX = struct.Struct("<IQ")
MAX_HEADER_BYTES = 16 << 20
MAX_PAYLOAD_BYTES = 128 << 20    # per frame: far above any real answer (outputs over 1M values go by shape)
MAX_NDIM = 32
# Per job, every frame of its results together (see FrameReader.budget): the trusted side
# holds a job's results until they are judged, so what a child can make it hold is bounded
# by this, not by the number of frames. Honest results are a few hundred kilobytes.
MAX_JOB_BYTES = 64 << 20
# Only these dtypes ever cross the wire; the child sends float64 only.
DTYPES = {"f8": np.dtype("<f8"), "i8": np.dtype("<i8"), "b1": np.dtype("|b1")}


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed frame."""


class Timeout(Exception):
    pass


class OverBudget(ProtocolError):
    """A frame would take the reader past its byte budget for the job."""


def dtype_code(array: np.ndarray) -> str:
    kind = array.dtype.kind
    if kind == "b":
        return "b1"
    if kind in "iu":
        return "i8"
    return "f8"


def pack(header: dict, arrays: list[np.ndarray] = (), texts: list[bytes] = ()) -> bytes:
    """A frame: the header, then the arrays' bytes, then `texts` (raw bytes, header["texts"]
    their lengths: a job's module sources, which the zygote passes on without decoding)."""
    specs, blobs = [], []
    for array in arrays:
        code = dtype_code(array)
        data = np.asarray(array, dtype=DTYPES[code], order="C")   # (ascontiguousarray makes 0-d 1-d)
        specs.append([code, list(data.shape)])
        blobs.append(data.tobytes())
    header = dict(header, arrays=specs)
    if texts:
        header["texts"] = [len(t) for t in texts]
    payload = b"".join(blobs + list(texts))
    return frame_head(header, len(payload)) + payload


def frame_head(header: dict, payload_size: int) -> bytes:
    """A frame's prefix and header, for a payload of `payload_size` bytes that follows."""
    text = json.dumps(header, separators=(",", ":")).encode()
    return PREFIX.pack(len(text), payload_size) + text


def array_specs(header: dict, payload_size: int, allowed=("f8", "i8", "b1")) -> list[tuple[np.dtype, list, int]]:
    """(dtype, shape, count) of every array a header declares, checked against the payload's
    size before anything is allocated: known dtypes, at most MAX_NDIM non-negative int
    dimensions, byte counts that add up to exactly the payload."""
    specs = header.get("arrays", [])
    if not isinstance(specs, list):
        raise ProtocolError("arrays is not a list")
    checked, offset = [], 0
    for spec in specs:
        if not (isinstance(spec, list) and len(spec) == 2 and spec[0] in allowed and isinstance(spec[1], list)):
            raise ProtocolError(f"bad array spec {spec!r:.80}")
        code, shape = spec
        if len(shape) > MAX_NDIM or not all(type(n) is int and 0 <= n for n in shape):
            raise ProtocolError(f"bad shape {shape!r:.80}")
        dtype = DTYPES[code]
        count = math.prod(shape)
        offset += count * dtype.itemsize
        if offset > payload_size:
            raise ProtocolError("arrays overrun the payload")
        checked.append((dtype, shape, count))
    if offset + sum(_text_sizes(header)) != payload_size:
        raise ProtocolError("payload longer or shorter than its arrays and texts")
    return checked


def _text_sizes(header: dict) -> list[int]:
    texts = header.get("texts", [])
    if not (isinstance(texts, list) and all(type(n) is int and 0 <= n <= MAX_PAYLOAD_BYTES for n in texts)):
        raise ProtocolError("texts is not a list of sizes")
    return texts


def unpack_texts(header: dict, payload) -> list:
    """A frame's texts (pack(texts=...)), as views of the payload: nothing decoded or copied."""
    view, texts = memoryview(payload), []
    offset = sum(count * dtype.itemsize for dtype, _, count in array_specs(header, len(view)))
    for size in header.get("texts", []):
        texts.append(view[offset:offset + size])
        offset += size
    return texts


def frame_payload(raw):
    """The payload of a whole frame as FrameArena.read hands it out (a view of it)."""
    header_size, _ = PREFIX.unpack_from(raw)
    return memoryview(raw)[PREFIX.size + header_size:]


def unpack_arrays(header: dict, payload: bytes, allowed=("f8", "i8", "b1")) -> list[np.ndarray]:
    """The arrays of a frame, read-only views into `payload`; every size checked first."""
    arrays, offset = [], 0
    for dtype, shape, count in array_specs(header, len(payload), allowed):
        arrays.append(np.frombuffer(payload, dtype=dtype, count=count, offset=offset).reshape(shape))
        offset += count * dtype.itemsize
    return arrays


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_parts(fd: int, parts: list) -> None:
    """Write several buffers (bytes or views) in order, with as few system calls as it takes."""
    left = [memoryview(part).cast("B") for part in parts if len(part)]
    while left:
        written = os.writev(fd, left[:IOV_MAX])
        while written:
            if written >= len(left[0]):
                written -= len(left.pop(0))
            else:
                left[0] = left[0][written:]
                written = 0


IOV_MAX = 1024


def _checked_sizes(header_size: int, payload_size: int, budget: int | None) -> int:
    """The frame's whole size, checked against the caps and the budget before anything is read."""
    if header_size > MAX_HEADER_BYTES or payload_size > MAX_PAYLOAD_BYTES:
        raise ProtocolError(f"frame too large ({header_size} + {payload_size} bytes)")
    total = PREFIX.size + header_size + payload_size
    if budget is not None and total > budget:
        raise OverBudget(f"more than {MAX_JOB_BYTES >> 20} MB of results in one job")
    return total


def _parsed_header(text: bytes, payload_size: int) -> dict:
    try:
        header = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"header is not JSON: {error}") from None
    if not isinstance(header, dict):
        raise ProtocolError("header is not an object")
    array_specs(header, payload_size)
    return header


def _wait_readable(fd: int, deadline: float | None) -> None:
    if deadline is not None:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise Timeout()


class FrameReader:
    """Reads frames from a file descriptor, with an optional deadline (time.monotonic()).

    budget: how many bytes of frames this reader may still take (None: no limit); the
    owner sets it per job. A frame's sizes are checked against the caps and the budget
    before its bytes are read, and its arrays against its payload before it is returned.
    """

    def __init__(self, fd: int, budget: int | None = None):
        self.fd = fd
        self.buffer = bytearray()
        self.budget = budget

    def _fill(self, size: int, deadline: float | None) -> None:
        while len(self.buffer) < size:
            _wait_readable(self.fd, deadline)
            chunk = os.read(self.fd, min(max(size - len(self.buffer), 1 << 16), 1 << 24))
            if not chunk:
                raise EOFError()
            self.buffer += chunk

    def read(self, deadline: float | None = None) -> tuple[dict, bytes]:
        self._fill(PREFIX.size, deadline)
        header_size, payload_size = PREFIX.unpack_from(self.buffer)
        total = _checked_sizes(header_size, payload_size, self.budget)
        if self.budget is not None:
            self.budget -= total
        self._fill(total, deadline)
        frame = memoryview(self.buffer)
        try:
            text = bytes(frame[PREFIX.size:PREFIX.size + header_size])
            payload = bytes(frame[PREFIX.size + header_size:total])
        finally:
            frame.release()
        del self.buffer[:total]
        return _parsed_header(text, payload_size), payload


class FrameArena:
    """Frames read for relaying (the zygote's side of its children): into one buffer that no
    forked child inherits (MADV_DONTFORK), and handed out as views of it, not copies.

    A process that has just forked pays for every page it writes that the child still shares
    (the kernel copies it first): reading each child's results into fresh Python buffers cost
    the zygote about 2 ms of CPU per submission, more than reading them. Its pages are reused
    from one child to the next. The checks are FrameReader's: caps and budget before reading,
    the header and its arrays before a frame is handed out.

        start(fd, budget)          a new stream (one child's), from the start of the buffer
        read(deadline, make_room)  (header, view of the whole frame as it came); a view stays
                                   valid until make_room() is called, which must let go of
                                   (write out) every view handed out so far
    """

    def __init__(self, size: int = MAX_JOB_BYTES + PREFIX.size):
        self.size = size
        self.memory = mmap.mmap(-1, size)
        if hasattr(mmap, "MADV_DONTFORK"):
            self.memory.madvise(mmap.MADV_DONTFORK)
        self.view = memoryview(self.memory)
        self.fd, self.budget = -1, None
        self.begin = self.end = 0      # the bytes not handed out yet: [begin, end)
        self.high = 0                  # how far this stream wrote

    def start(self, fd: int, budget: int | None) -> None:
        self._release_beyond(RETAINED_ARENA_BYTES)
        self.fd, self.budget = fd, budget
        self.begin = self.end = self.high = 0

    def read(self, deadline: float | None, make_room, parse: bool = True) -> tuple[dict | None, memoryview]:
        """parse=False: the sizes are checked, the header is not decoded (None): see route()."""
        self._fill(PREFIX.size, deadline, make_room)
        header_size, payload_size = PREFIX.unpack_from(self.memory, self.begin)
        total = _checked_sizes(header_size, payload_size, self.budget)
        if self.budget is not None:
            self.budget -= total
        self._fill(total, deadline, make_room)
        at = self.begin
        header = None
        if parse:
            header = _parsed_header(bytes(self.view[at + PREFIX.size:at + PREFIX.size + header_size]), payload_size)
        self.begin += total
        return header, self.view[at:at + total]

    def _fill(self, size: int, deadline: float | None, make_room) -> None:
        if size > self.size:
            raise OverBudget(f"a frame of {size} bytes does not fit the relay's {self.size} bytes")
        while self.end - self.begin < size:
            if self.begin + size > self.size:
                # Not enough room after the unread bytes: every view goes out, they move to the front.
                make_room()
                unread = self.end - self.begin
                self.memory.move(0, self.begin, unread)
                self.begin, self.end = 0, unread
            _wait_readable(self.fd, deadline)
            got = os.readv(self.fd, [self.view[self.end:]])
            if not got:
                raise EOFError()
            self.end += got
            self.high = max(self.high, self.end)

    def _release_beyond(self, keep: int) -> None:
        """Give back the pages a large stream used past `keep` (the next stream gets fresh ones)."""
        if self.high > keep and hasattr(mmap, "MADV_DONTNEED"):
            start = keep - keep % mmap.PAGESIZE
            self.memory.madvise(mmap.MADV_DONTNEED, start, self.size - start)


RETAINED_ARENA_BYTES = 8 << 20   # what a zygote keeps of its arena between children (honest jobs: < 2 MB)


# -- relaying a child's frames without decoding them (the zygote) ---------------------------------
#
# The zygote routes a child's frames by a strict reading of the start of their header, which
# the child writes first (child.py): it never decodes what learner code put in them (printed
# text, messages), so nothing of one student lands in the memory the next one is forked with.
# It sends each on to the grader inside an envelope, {"type": "relayed", "kind": ..., "index": i}, whose
# payload is the frame as it came; the grader decodes and checks it there (open_envelope), and
# a frame that does not hold up costs that exercise only.

_ROUTED = re.compile(rb'\{"type":"(result|progress)","index":(0|[1-9][0-9]{0,8})[,}]')
_IMPORTED = re.compile(rb'\{"type":"imported","module":"([A-Za-z_][A-Za-z0-9_]{0,99})"[,}]')
ROUTE_BYTES = 160    # a route is read from this much of a header at most


def route(frame) -> tuple[str, int | None, tuple[int, int] | None]:
    """(kind, index, where the module name lies in `frame`) of a child's whole frame, read from
    the start of its header only; ProtocolError for anything else."""
    header_size, _ = PREFIX.unpack_from(frame)
    start = memoryview(frame)[PREFIX.size:PREFIX.size + min(header_size, ROUTE_BYTES)]
    found = _ROUTED.match(start)
    if found:
        return found.group(1).decode(), int(found.group(2)), None
    found = _IMPORTED.match(start)
    if found:
        return "imported", None, (PREFIX.size + found.start(1), PREFIX.size + found.end(1))
    raise ProtocolError("a frame that does not start like one the child sends")


def envelope(kind: str, index: int, frame) -> list:
    """The parts of a "relayed" frame holding `frame` (a view: it is not copied), routed as
    `kind` ("result" or "progress") of task `index`."""
    header = {"type": "relayed", "kind": kind, "index": index, "arrays": [], "texts": [len(frame)]}
    return [frame_head(header, len(frame)), frame]


def open_envelope(header: dict, payload) -> tuple[dict, memoryview]:
    """The frame a "relayed" frame holds, decoded and checked like any other."""
    (frame,) = unpack_texts(header, payload) or [b""]
    return parse_frame(frame)


def parse_frame(frame) -> tuple[dict, memoryview]:
    """One whole frame held in memory: (header, payload view), with FrameReader's checks."""
    view = memoryview(frame)
    if len(view) < PREFIX.size:
        raise ProtocolError("a frame shorter than its prefix")
    header_size, payload_size = PREFIX.unpack_from(view)
    if _checked_sizes(header_size, payload_size, None) != len(view):
        raise ProtocolError("a frame whose sizes do not add up")
    header = _parsed_header(bytes(view[PREFIX.size:PREFIX.size + header_size]), payload_size)
    return header, view[PREFIX.size + header_size:]


# Values (call arguments): a JSON tree whose leaves point into the frame's arrays.
# Tags: a array, b bool, i int, f float, s str, n None, l list, t tuple, d dict, rng seed.

def encode_value(value, arrays: list) -> dict:
    if isinstance(value, np.ndarray):
        arrays.append(value)
        return {"a": len(arrays) - 1}
    if isinstance(value, (bool, np.bool_)):
        return {"b": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"i": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"f": float(value)}
    if isinstance(value, str):
        return {"s": value}
    if value is None:
        return {"n": 0}
    if isinstance(value, list):
        return {"l": [encode_value(v, arrays) for v in value]}
    if isinstance(value, tuple):
        return {"t": [encode_value(v, arrays) for v in value]}
    if isinstance(value, dict):
        return {"d": {str(k): encode_value(v, arrays) for k, v in value.items()}}
    if isinstance(value, RngSeed):
        return {"rng": value.seed}
    raise TypeError(f"cannot send a {type(value).__name__} to the worker")


class RngSeed:
    """Stands for `np.random.default_rng(seed)` on the wire (a Generator cannot travel)."""

    __slots__ = ("seed",)

    def __init__(self, seed: int):
        self.seed = int(seed)

    def __repr__(self):
        return f"RngSeed({self.seed})"

    def __eq__(self, other):
        return isinstance(other, RngSeed) and other.seed == self.seed

    def __hash__(self):
        return hash(self.seed)


def decode_value(tree, arrays: list):
    """Inverse of encode_value. RngSeed stays an RngSeed: the caller decides what it becomes."""
    if not isinstance(tree, dict) or len(tree) != 1:
        raise ProtocolError("bad value")
    ((tag, item),) = tree.items()
    decoded = _DECODERS.get(tag, _refuse)(item, arrays)
    if decoded is _BAD:
        raise ProtocolError(f"bad value tag {tag!r:.20}")
    return decoded


_BAD = object()    # a tag whose item has the wrong type


def _refuse(item, arrays):
    return _BAD


def _array(item, arrays):
    if type(item) is not int or not 0 <= item < len(arrays):
        raise ProtocolError("bad array index")
    return arrays[item]


def _sequence(kind):
    def decode(item, arrays):
        if not isinstance(item, list):
            return _BAD
        return kind(decode_value(v, arrays) for v in item)
    return decode


def _mapping(item, arrays):
    return {k: decode_value(v, arrays) for k, v in item.items()} if isinstance(item, dict) else _BAD


_DECODERS = {
    "a": _array,
    "b": lambda item, arrays: bool(item),
    "i": lambda item, arrays: item if type(item) is int else _BAD,
    "f": lambda item, arrays: float(item) if type(item) in (int, float) else _BAD,
    "s": lambda item, arrays: item if isinstance(item, str) else _BAD,
    "n": lambda item, arrays: None,
    "l": _sequence(list),
    "t": _sequence(tuple),
    "d": _mapping,
    "rng": lambda item, arrays: RngSeed(item) if type(item) is int else _BAD,
}
