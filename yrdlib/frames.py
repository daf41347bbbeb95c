"""A DataFrame that can sit in another frame's ``attrs``.

pandas compares the ``attrs`` of the frames it concatenates or joins (``attrs == attrs``); when
the other entries are equal and one is an ordinary DataFrame, that comparison raises "truth value
of a DataFrame is ambiguous". It happens only when the rest of the attrs agree (two tables of the
same sample whose every other attribute coincides: a recently listed cluster whose first-years
window covers all its treated years), so it passes on one cluster and fails on another. Every
frame kept in ``attrs`` is therefore an :class:`AttrFrame`, whose comparison with another frame
is one bool (``equals``)."""

from __future__ import annotations

import pandas as pd


class AttrFrame(pd.DataFrame):
    """A DataFrame whose ``==`` with another DataFrame is one bool (``DataFrame.equals``);
    comparing its columns works as usual."""

    @property
    def _constructor(self):
        return type(self)

    def __eq__(self, other):  # type: ignore[override]
        if isinstance(other, pd.DataFrame):
            return bool(pd.DataFrame(self).equals(pd.DataFrame(other)))
        return super().__eq__(other)

    def __ne__(self, other):  # type: ignore[override]
        if isinstance(other, pd.DataFrame):
            return not self.__eq__(other)
        return super().__ne__(other)

    __hash__ = None  # a mutable table, like DataFrame
