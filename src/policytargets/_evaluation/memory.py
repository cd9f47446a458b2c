"""Memory for large result columns: pyarrow's memory pool, reused from call to call.

numpy asks the operating system for every large array. The system hands over
fresh pages and zeroes each of them first. On 10⁷ rows that zeroing was a third
of :func:`~policytargets.evaluate`'s time, and a first call could take several
times as long as the next one.

pyarrow's default pool (mimalloc) keeps the pages a freed result held and
hands them to the next result, already mapped. Columns of at least
:data:`POOLED_BYTES` come from it; smaller ones (and all of them when the
pool is another allocator: ``system``, or jemalloc, which gives huge
allocations back at once and measured slower than numpy) come from numpy.
``pyarrow.default_memory_pool().release_unused()`` hands kept pages back to
the system.

The arrays are ordinary writable numpy arrays whose memory belongs to a
pyarrow buffer: pandas, pickling and parquet treat them like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

#: Arrays of at least this many bytes come from pyarrow's pool (smaller ones are
#: cheap from numpy, and small tables then never import pyarrow).
POOLED_BYTES = 1 << 20


def _pooled() -> bool:
    """Whether pyarrow's default pool is one that keeps freed pages for reuse.

    Asked each time (a microsecond): a program may set another pool
    (``pyarrow.set_memory_pool``, as the command line sets jemalloc).
    """
    import pyarrow as pa

    return bool(pa.default_memory_pool().backend_name == "mimalloc")


def empty(n: int, dtype: Any = "float64") -> npt.NDArray[Any]:
    """An uninitialised array of ``n`` values (``np.empty``), pooled when large."""
    import numpy as np

    dt = np.dtype(dtype)
    size = n * dt.itemsize
    # Python objects need numpy's own memory (pyarrow's buffers hold no references).
    if size < POOLED_BYTES or dt.hasobject or not _pooled():
        return np.empty(n, dtype=dt)
    import pyarrow as pa

    return np.frombuffer(pa.allocate_buffer(size), dtype=dt)


def full(n: int, fill: Any, dtype: Any = "float64") -> npt.NDArray[Any]:
    """``n`` copies of ``fill`` (``np.full``), pooled when large."""
    array = empty(n, dtype)
    array.fill(fill)
    return array
