import json

from servicecenter.core.network.demand import _swedish_cities


def cities(*rows):
    return json.dumps({str(r["geonameid"]): r for r in rows})


SE = {"geonameid": 2, "name": "Ort {med} klammer", "latitude": 59.3, "longitude": 18.0, "countrycode": "SE", "population": 900,
      "alternatenames": ["\"countrycode\": \"SE\" i en text", "x}"]}
NO = {"geonameid": 1, "name": "Oslo", "latitude": 59.9, "longitude": 10.7, "countrycode": "NO", "population": 700000, "alternatenames": []}
SE2 = {"geonameid": 3, "name": "Kiruna", "latitude": 67.8, "longitude": 20.2, "countrycode": "SE", "population": 17000, "alternatenames": ["Giron"]}


def test_only_the_swedish_cities_are_decoded_and_each_once():
    found = _swedish_cities(cities(NO, SE, SE2))
    assert sorted(c["name"] for c in found) == ["Kiruna", "Ort {med} klammer"]


def test_an_unexpected_layout_falls_back_to_the_whole_file():
    other_order = {"name": "Lund", "geonameid": 4, "countrycode": "SE", "population": 90000}   # geonameid not first
    found = _swedish_cities(cities(NO, other_order, SE2))
    assert sorted(c["name"] for c in found) == ["Kiruna", "Lund"]
    text = json.dumps({"1": {"geonameid": 1, "name": "Bergen", "countrycode": "NO", "note": "\"countrycode\": \"SE\""}})
    assert _swedish_cities(text) == []
