"""How postings are laid out on disk, so that a whole posting list can be read in one go.

whoosh's own blocks are one compressed pickle of the ids, weights and positions together: to
learn which documents hold a term, every position has to be decompressed and unpickled too,
about a microsecond per posting. Here a block keeps the document numbers and weights as raw
little-endian arrays next to the compressed positions. `read_postings()` joins them for a whole
term without touching the positions, and whoosh's matchers (phrases, merging segments, the
fallback for rare query types) still read every part through the usual interface.

Private parts of whoosh used here (check them on a whoosh upgrade):
- `W3PostingsWriter`: `_blockcount`, `_postfile`, `_terminfo`, `_ids`, `_weights`, `_values`,
  `_maxweight`, `_format`, `_compression`, `_new_block()`, and its block layout (the `W3Bl`
  header tag, a signed length prefix, then a pickled info tuple);
- `W3LeafMatcher`: `_postfile`, `_dataoffset`, `_nextoffset`, `_data`, `_read_data()`,
  `_read_ids()`, `_read_weights()`, `_read_values()`, `_blocklength`, `_ids`, `_weights`,
  `_values`, `_length`, `_baseoffset`, `_startoffset`;
- `W3Codec`: `_blocklimit`, `_compression`, `_inlinelimit`;
- `SegmentReader._terms` (the terms reader of a segment, in `read_postings`).
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zlib
from array import array

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import WrappingMatcher

_INT = struct.Struct("!i")  # whoosh's block length prefix
_BIG_ENDIAN = sys.byteorder == "big"
_NONE = b"n"  # the format keeps no values
_POSITIONS = b"p"  # FastPositions values: every posting's count, then every position, as uint32
_PICKLED = b"g"  # any other format's values, pickled


def _little(values: array) -> bytes:
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _from_little(typecode: str, raw: bytes) -> array:
    values = array(typecode)
    values.frombytes(raw)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


class PostingsWriter(W3PostingsWriter):
    """Writes a block's data as raw bytes: n document numbers (uint32), n weights (float32), then
    one byte saying what follows (nothing, flat positions or pickled values), then the values
    compressed with zlib. Only the values are compressed, and they are read only when needed."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(b"W3Bl")  # whoosh's block header tag, checked by its matcher
        self._terminfo.add_block(self)
        ids = array("I", self._ids)
        data = _little(ids) + _little(self._weights) + self._packed_values()
        info = pickle.dumps((len(ids), ids[-1], self._maxweight, 0, 0, 0), 2)
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _packed_values(self) -> bytes:
        if self._format.fixed_value_size() == 0 or not self._values:
            return _NONE
        if getattr(self._format, "flat_positions", False):
            counts = array("I")
            flat = array("I")
            for value in self._values:
                positions = self._format.decode_positions(value)
                counts.append(len(positions))
                flat.extend(positions)
            return _POSITIONS + zlib.compress(_little(counts) + _little(flat), self._compression)
        return _PICKLED + zlib.compress(pickle.dumps(tuple(self._values), 2), self._compression)


class LeafMatcher(W3LeafMatcher):
    """whoosh's block matcher reading `PostingsWriter` blocks; values are decompressed lazily."""

    def _read_data(self) -> None:
        self._data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = _from_little("I", self._data[:4 * self._blocklength])

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        count = self._blocklength
        self._weights = _from_little("f", self._data[4 * count:8 * count])

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        count = self._blocklength
        kind, blob = self._data[8 * count:8 * count + 1], self._data[8 * count + 1:]
        if kind == _NONE:
            self._values = (None,) * count
        elif kind == _PICKLED:
            self._values = pickle.loads(zlib.decompress(blob))
        else:
            raw = zlib.decompress(blob)
            counts = _from_little("I", raw[:4 * count])
            flat = _from_little("I", raw[4 * count:])
            values, start = [], 0
            for n in counts:
                values.append(self.format.encode(flat[start:start + n].tolist()))
                start += n
            self._values = tuple(values)

    def postings(self, positions: bool = False) -> tuple[bytes, bytes, bytes, bytes]:
        """Every posting of the term: (doc numbers as uint32, weights as float32, and with
        `positions` the number of positions per posting and every position, both uint32),
        all little-endian bytes."""
        extent = self._length
        if isinstance(extent, tuple):  # whoosh decodes a term's extent length as a 1-tuple
            extent = extent[0]
        offset = self._baseoffset
        raw = self._postfile.get(offset, self._startoffset + extent - offset)
        view, stream = memoryview(raw), io.BytesIO(raw)
        ids, weights, counts, flat = [], [], [], []
        at, end = 0, len(raw)
        while at < end:
            length = abs(_INT.unpack_from(raw, at)[0])
            stream.seek(at + _INT.size)
            count = pickle.load(stream)[0]  # the block info: (postings, last id, ...)
            start = stream.tell()
            ids.append(view[start:start + 4 * count])
            weights.append(view[start + 4 * count:start + 8 * count])
            if positions:
                if view[start + 8 * count:start + 8 * count + 1] != _POSITIONS:
                    raise ValueError("the field has no positions")
                blob = zlib.decompress(view[start + 8 * count + 1:at + _INT.size + length])
                counts.append(blob[:4 * count])
                flat.append(blob[4 * count:])
            at += _INT.size + length
        return b"".join(ids), b"".join(weights), b"".join(counts), b"".join(flat)


class Codec(W3Codec):
    """whoosh's codec with `PostingsWriter` blocks and without per-term length statistics,
    which cost a disk read per posting to write and only serve whoosh's top-k skipping."""

    length_stats = False

    def __init__(self, blocklimit: int = 256, compression: int = 1, inlinelimit: int = 1) -> None:
        # zlib level 1 instead of 3: a tenth of the writing time was compression; reading is alike.
        # 256 postings a block instead of 128 halve the blocks a whole posting list is read in.
        super().__init__(blocklimit, compression, inlinelimit)

    def postings_writer(self, dbfile, byteids: bool = False):
        if byteids:  # term vectors, which this schema does not use
            return super().postings_writer(dbfile, byteids)
        return PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=False, compression=self._compression,
                              inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def read_postings(reader, fieldname: str, term: bytes, positions: bool = False) -> tuple[bytes, bytes, bytes, bytes]:
    """All postings of `term` in one segment `reader`, deleted documents included (see
    `LeafMatcher.postings`); empty when the segment lacks the term."""
    if (fieldname, term) not in reader:
        return b"", b"", b"", b""
    matcher = reader._terms.matcher(fieldname, term, reader.schema[fieldname].format)
    while isinstance(matcher, WrappingMatcher):
        matcher = matcher.child
    if isinstance(matcher, LeafMatcher):
        return matcher.postings(positions)
    if isinstance(matcher, ListMatcher):  # inlined postings
        ids, weights, counts, flat = array("I"), array("f"), array("I"), array("I")
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if positions:
                found = matcher.value_as("positions")
                counts.append(len(found))
                flat.extend(found)
            matcher.next()
        return _little(ids), _little(weights), _little(counts), _little(flat)
    raise TypeError(f"postings of {fieldname} were not written by this codec ({type(matcher).__name__})")
