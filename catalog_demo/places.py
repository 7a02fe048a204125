"""Demo administrative units and the weights that spread producers over provinces."""
from __future__ import annotations

from catalog_demo.vocabulary import COMMUNES

#: Rough share of OCOP products per province (Hà Nội alone held 2,711 of 18,243 in 2025).
PROVINCE_WEIGHTS: dict[str, float] = {
    "01": 15.0, "79": 4.0, "31": 4.0, "24": 4.0, "25": 4.0, "37": 4.0, "38": 4.0, "40": 4.0,
    "33": 3.5, "22": 3.5, "19": 3.0, "08": 3.0, "15": 3.0, "68": 3.0, "66": 3.0, "52": 2.5,
    "48": 2.5, "86": 2.5, "82": 2.5, "91": 2.5, "92": 2.5, "42": 2.5, "44": 2.0, "51": 2.0,
    "56": 2.0, "75": 2.0, "80": 2.0, "96": 2.0, "46": 2.0, "14": 2.0, "20": 1.5, "04": 1.0,
    "11": 1.0, "12": 1.0,
}


def demo_communes() -> list[dict[str, str]]:
    """Commune rows for the demo: real names, codes made up as province code + serial.

    The official list of ~3,300 communes and wards can replace these; the demo
    then uses whatever communes the database already holds.
    """
    rows = []
    for province_code, communes in sorted(COMMUNES.items()):
        for index, (kind, name) in enumerate(communes, start=1):
            rows.append({"code": f"{province_code}{index:03d}", "name": name, "kind": kind,
                         "province_code": province_code})
    return rows
