"""worker/protocol.py: frames and values survive the trip, and malformed frames are refused."""
from __future__ import annotations

import json
import os
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from tutor.engine.worker.protocol import (FrameReader, ProtocolError, RngSeed, Timeout, decode_value,
                                          encode_value, pack, unpack_arrays, write_all)

any_array = st.one_of(
    arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=4)),
    arrays(np.int64, array_shapes(min_dims=1, max_dims=2, max_side=4)),
    arrays(np.bool_, array_shapes(min_dims=1, max_dims=2, max_side=4)),
)


def roundtrip(data: bytes):
    read_end, write_end = os.pipe()
    try:
        write_all(write_end, data)
        os.close(write_end)
        return FrameReader(read_end).read(deadline=None)
    finally:
        os.close(read_end)


@settings(max_examples=40)
@given(st.lists(any_array, max_size=4))
def test_arrays_roundtrip(items):
    header, payload = roundtrip(pack({"type": "x"}, items))
    back = unpack_arrays(header, payload)
    assert len(back) == len(items)
    for a, b in zip(items, back):
        assert a.shape == b.shape and a.dtype.kind == b.dtype.kind
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f")


@settings(max_examples=40)
@given(st.recursive(
    st.one_of(st.booleans(), st.integers(-2**62, 2**62), st.floats(allow_nan=False), st.text(max_size=5),
              st.none(), st.integers(0, 2**31).map(RngSeed), any_array),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=8))
def test_values_roundtrip(value):
    arrays_out: list = []
    tree = encode_value(value, arrays_out)
    header, payload = roundtrip(pack({"value": tree}, arrays_out))
    back = decode_value(header["value"], unpack_arrays(header, payload))

    def same(a, b):
        if isinstance(a, np.ndarray):
            return np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        if isinstance(a, (list, tuple)):
            return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        return a == b and type(a) is type(b)
    assert same(value, back)


def frame(header: dict, payload: bytes = b"") -> bytes:
    text = json.dumps(header).encode()
    return struct.pack("<IQ", len(text), len(payload)) + text + payload


@pytest.mark.parametrize("header, payload", [
    ({"arrays": [["f8", [3]]]}, b"\0" * 16),            # payload too short
    ({"arrays": [["f8", [1]]]}, b"\0" * 16),            # too long
    ({"arrays": [["O", [1]]]}, b"\0" * 8),              # not an allowed dtype
    ({"arrays": [["f8", [-1]]]}, b""),                  # negative size
    ({"arrays": [["f8", [1.5]]]}, b""),                 # not an int
    ({"arrays": "nope"}, b""),
])
def test_malformed_arrays_are_refused(header, payload):
    with pytest.raises(ProtocolError):
        unpack_arrays(header, payload)


def test_the_child_may_send_float64_only():
    header, payload = roundtrip(pack({}, [np.arange(3)]))
    with pytest.raises(ProtocolError):
        unpack_arrays(header, payload, allowed=("f8",))


@pytest.mark.parametrize("data", [
    struct.pack("<IQ", 1 << 30, 0),                     # header over the cap
    struct.pack("<IQ", 2, 1 << 40) + b"{}",             # payload over the cap
    struct.pack("<IQ", 5, 0) + b"[1,2]",                # not an object
    struct.pack("<IQ", 3, 0) + b"\xff\xfe{",            # not JSON
])
def test_malformed_frames_are_refused(data):
    with pytest.raises((ProtocolError, EOFError)):
        roundtrip(data)


def test_truncated_frame_is_eof():
    with pytest.raises(EOFError):
        roundtrip(frame({"a": 1})[:-1])


def test_deadline():
    read_end, write_end = os.pipe()
    try:
        with pytest.raises(Timeout):
            FrameReader(read_end).read(deadline=0)
    finally:
        os.close(read_end)
        os.close(write_end)


@pytest.mark.parametrize("tree", [{"a": 5}, {"zz": 1}, {"i": "3"}, [], {"l": "x"}, {"a": 0, "b": True}])
def test_bad_values_are_refused(tree):
    with pytest.raises(ProtocolError):
        decode_value(tree, [])


# -- the byte budget and the checks before a frame is returned (docs/SANDBOX.md, item 5) ------

def test_a_frame_past_the_budget_is_refused_before_it_is_read():
    from tutor.engine.worker.protocol import OverBudget

    read_end, write_end = os.pipe()
    try:
        big = pack({"type": "result"}, [np.zeros(1000)])
        # Only the 12-byte prefix is there: the reader must refuse from the sizes alone.
        os.write(write_end, big[:12])
        reader = FrameReader(read_end, budget=len(big) - 1)
        with pytest.raises(OverBudget):
            reader.read(deadline=None)
    finally:
        os.close(read_end)
        os.close(write_end)


@settings(max_examples=30)
@given(st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=12))
def test_the_budget_is_for_all_frames_together(sizes):
    from tutor.engine.worker.protocol import OverBudget

    frames = [pack({"type": "result", "index": i}, [np.zeros(n)]) for i, n in enumerate(sizes)]
    budget = sum(len(f) for f in frames) // 2
    read_end, write_end = os.pipe()
    data = b"".join(frames)
    try:
        reader = FrameReader(read_end, budget=budget)
        taken = 0
        import threading

        writer = threading.Thread(target=lambda: (write_all(write_end, data), os.close(write_end)))
        writer.start()
        with pytest.raises((OverBudget, EOFError)):
            while True:
                header, payload = reader.read(deadline=None)
                taken += len(payload)
        assert taken <= budget
        while os.read(read_end, 1 << 16):    # let the writer finish
            pass
        writer.join()
    finally:
        os.close(read_end)


@pytest.mark.parametrize("arrays,payload", [
    ([["f8", [2 ** 31, 2 ** 31]]], 8),          # a huge shape, a tiny payload
    ([["f8", [-1]]], 0),
    ([["f8", [1.5]]], 8),
    ([["c16", [1]]], 16),                      # a dtype that never crosses
    ([["f8", [1] * 33]], 8),                   # too many dimensions
    ([["f8", [2]]], 8),                        # declares more than it sends
    ([["f8", [1]]], 16),                       # sends more than it declares
    ("x", 0),
])
def test_frames_whose_arrays_do_not_add_up_are_refused_when_read(arrays, payload):
    text = json.dumps({"type": "result", "arrays": arrays}).encode()
    with pytest.raises(ProtocolError):
        roundtrip(struct.pack("<IQ", len(text), payload) + text + b"\0" * payload)


# -- the zygote's relay arena (FrameArena) --------------------------------------------------------

def _relay(frames: list[bytes], arena, budget=None, deadline=None):
    """Write frames through a pipe and read them back through the arena, as the zygote relays:
    views kept until make_room, then written out. Returns (headers, the bytes relayed, rooms)."""
    import threading

    from tutor.engine.worker.protocol import write_parts

    read_end, write_end = os.pipe()
    out_read, out_write = os.pipe()
    relayed, rooms, held = bytearray(), [], []
    drained = threading.Thread(target=lambda: [relayed.extend(c) for c in iter(lambda: os.read(out_read, 1 << 16), b"")])
    drained.start()
    writer = threading.Thread(target=lambda: (write_all(write_end, b"".join(frames)), os.close(write_end)))
    writer.start()

    def make_room():
        rooms.append(len(held))
        write_parts(out_write, held)
        held.clear()

    headers = []
    try:
        arena.start(read_end, budget)
        while True:
            try:
                header, raw = arena.read(deadline, make_room)
            except EOFError:
                break
            headers.append(header)
            held.append(raw)
        make_room()
    finally:
        writer.join()
        os.close(read_end)
        os.close(out_write)
        drained.join()
        os.close(out_read)
    return headers, bytes(relayed), rooms


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=20))
def test_the_arena_relays_frames_exactly_as_they_came(sizes):
    from tutor.engine.worker.protocol import FrameArena

    frames = [pack({"type": "result", "index": i}, [np.arange(n, dtype=np.float64)]) for i, n in enumerate(sizes)]
    # An arena smaller than all the frames together: it must make room (write out what it
    # handed out) and move the unread bytes to the front, never corrupt a frame.
    arena = FrameArena(size=max(len(f) for f in frames) + 64)
    headers, relayed, rooms = _relay(frames, arena)
    assert [h["index"] for h in headers] == list(range(len(sizes)))
    assert relayed == b"".join(frames)


def test_the_arena_checks_like_the_frame_reader():
    from tutor.engine.worker.protocol import FrameArena, OverBudget

    arena = FrameArena(size=1 << 20)
    big = pack({"type": "result"}, [np.zeros(1000)])
    with pytest.raises(OverBudget):
        _relay([big], arena, budget=len(big) - 1)
    garbage = struct.pack("<IQ", 5, 0) + b"nope!"
    with pytest.raises(ProtocolError):
        _relay([garbage], arena)
    lying = pack({"type": "result"}, [np.zeros(4)])[:-8]        # arrays promise more than the payload holds
    lying = struct.pack("<IQ", *struct.unpack_from("<IQ", lying)[:1], 24) + lying[12:]
    with pytest.raises(ProtocolError):
        _relay([lying], arena)
    too_big = FrameArena(size=64)
    with pytest.raises(OverBudget):
        _relay([big], too_big)


def test_a_forked_child_never_shares_the_arena():
    """MADV_DONTFORK: the zygote's children do not inherit it, so neither side copies its pages
    after a fork (and a child cannot read what an earlier child sent)."""
    import signal

    from tutor.engine.worker.protocol import FrameArena

    arena = FrameArena(size=1 << 20)
    arena.memory[:5] = b"hello"
    pid = os.fork()
    if pid == 0:
        try:
            import faulthandler

            faulthandler.disable()  # the fault is the point: no dump
            arena.memory[0]        # not mapped here: SIGSEGV
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV
    assert arena.memory[:5] == b"hello"


# -- routing a child's frame without decoding it (protocol.route, the zygote's relay) ------------

@settings(max_examples=40)
@given(st.sampled_from(["result", "progress"]), st.integers(min_value=0, max_value=10**9 - 1),
       st.dictionaries(st.sampled_from(["stdout", "message", "cases", "seconds"]), st.text(max_size=50), max_size=4))
def test_a_frame_the_child_sends_routes_by_its_start(kind, index, rest):
    from tutor.engine.worker.protocol import route

    frame = pack(dict({"type": kind, "index": index}, **rest), [np.zeros(3)])
    assert route(frame) == (kind, index, None)


def test_an_imported_frame_names_its_module_in_place():
    from tutor.engine.worker.protocol import route

    frame = pack({"type": "imported", "module": "layers"})
    kind, index, (start, end) = route(frame)
    assert (kind, index, bytes(frame[start:end])) == ("imported", None, b"layers")


@pytest.mark.parametrize("header", [
    {"index": 1, "type": "result"},                      # not the child's order
    {"type": "result", "index": -1},
    {"type": "result", "index": "1"},
    {"type": "result", "index": 10**10},
    {"type": "results", "index": 1},
    {"type": "imported", "module": "../etc"},
    {"type": "imported", "module": "x" * 101},
    {"type": "done"},
])
def test_anything_else_does_not_route(header):
    from tutor.engine.worker.protocol import route

    with pytest.raises(ProtocolError):
        route(pack(header))
    with pytest.raises(ProtocolError):
        route(struct.pack("<IQ", 3, 0) + b"{}x")


def test_an_envelope_holds_the_frame_as_it_came_and_opens_to_it():
    from tutor.engine.worker.protocol import envelope, open_envelope, parse_frame

    frame = pack({"type": "result", "index": 3, "message": "é"}, [np.arange(4.0)])
    wrapped = b"".join(bytes(part) for part in envelope("result", 3, memoryview(frame)))
    outer, payload = parse_frame(wrapped)
    assert outer["type"] == "relayed" and outer["kind"] == "result" and outer["index"] == 3
    header, inner = open_envelope(outer, payload)
    assert header["message"] == "é" and header["index"] == 3
    np.testing.assert_array_equal(unpack_arrays(header, inner)[0], np.arange(4.0))
    broken = frame[:-4]
    with pytest.raises(ProtocolError):
        open_envelope(*parse_frame(b"".join(bytes(p) for p in envelope("result", 3, memoryview(broken)))))
