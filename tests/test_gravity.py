import numpy as np
import pandas as pd
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.gravity import gravity_linkage, gravity_shares, haversine_km


def test_haversine_shanghai_beijing():
    assert haversine_km(121.47, 31.23, 116.41, 39.90) == pytest.approx(1067, abs=5)
    assert haversine_km(0, 0, 0, 0) == 0


COORDS = pd.DataFrame({"region_code": ["A", "B", "C", "D"], "lon": [121.0, 121.0, 121.0, 120.0],
                       "lat": [28.0, 29.0, 30.0, 27.0]})


def _data():
    return pd.DataFrame({"region_code": list("ABCD") * 2, "year": [2010] * 4 + [2020] * 4,
                         "pop": [4.0, 1, 9, 1, 4, 1, 9, 4], "gdp": [1.0, 4, 1, 1, 1, 4, 1, 1]})


def test_linkage_formula_and_shares():
    lk = gravity_linkage(_data(), COORDS, focus="A", b=2)
    row = lk.query("region_code_j == 'B' and year == 2010").iloc[0]
    d = haversine_km(121, 28, 121, 29)
    assert row.linkage == pytest.approx(np.sqrt(4 * 1) * np.sqrt(1 * 4) / d**2)
    lk1 = gravity_linkage(_data(), COORDS, focus="A", b=1)
    assert lk1.linkage.iloc[0] == pytest.approx(lk.linkage.iloc[0] * lk.dist_km.iloc[0])
    sh = gravity_shares(lk, "A", {"north": ["B", "C"], "south": ["D"]})
    assert np.allclose(sh.groupby("year")["share"].sum(), 1)
    north10 = sh.query("year == 2010 and group == 'north'").share.item()
    north20 = sh.query("year == 2020 and group == 'north'").share.item()
    assert north20 < north10  # D's mass grew in 2020


def test_all_pairs_symmetric():
    lk = gravity_linkage(_data(), COORDS)
    assert len(lk) == 4 * 3 * 2
    ab = lk.query("region_code_i == 'A' and region_code_j == 'B'").linkage.to_numpy()
    ba = lk.query("region_code_i == 'B' and region_code_j == 'A'").linkage.to_numpy()
    assert np.allclose(ab, ba)


def test_errors():
    with pytest.raises(MethodError, match="zero distance"):
        gravity_linkage(_data(), COORDS.assign(lat=28.0, lon=121.0))
    with pytest.raises(MethodError, match="missing column"):
        gravity_linkage(_data().drop(columns="gdp"), COORDS)
    with pytest.raises(MethodError):
        gravity_linkage(_data(), COORDS, focus="Z")
    lk = gravity_linkage(_data(), COORDS, focus="A")
    with pytest.raises(MethodError):
        gravity_shares(lk, "A", {"north": ["B"], "south": ["B"]})
