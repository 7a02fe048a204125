"""GS1 Digital Link: URIs printed on stamps, paths parsed back, the resolver's linkset.

biip (an independent parser) checks that what we print is read the same way elsewhere.
"""
import re

import pytest

from catalog.trace.digital_link import (
    LINK_TYPES,
    LINKSET_MEDIA_TYPE,
    LOT_PATTERN,
    DigitalLink,
    DigitalLinkError,
    format_uri,
    linkset,
    parse_path,
)

BASE = "https://ocop.example.vn"
GTIN = "08934563138165"
CODE = "7KQ2M9XD4HPATZ3BQ"


@pytest.fixture()
def biip():
    return pytest.importorskip("biip", reason="biip (test extra) checks URIs with an independent parser")


# -- printing and parsing back ------------------------------------------------------------

@pytest.mark.parametrize(("lot", "serial", "path"), [
    (None, None, f"/01/{GTIN}"),
    ("LOT1", None, f"/01/{GTIN}/10/LOT1"),
    ("LOT1", CODE, f"/01/{GTIN}/10/LOT1/21/{CODE}"),
    (None, CODE, f"/01/{GTIN}/21/{CODE}"),
    ("l.2025_07-a", "s-1.x_Y", f"/01/{GTIN}/10/l.2025_07-a/21/s-1.x_Y"),
])
def test_format_then_parse_round_trips(lot, serial, path):
    uri = format_uri(BASE, GTIN, lot, serial)
    assert uri == BASE + path
    link = parse_path(path)
    assert link == DigitalLink(GTIN, lot, serial)
    assert link.path() == path
    assert parse_path(path + "/") == link  # a trailing slash is tolerated


@pytest.mark.parametrize("gtin", ["8934563138165", "08934563138165", 8934563138165])
def test_format_pads_the_gtin_to_14_digits(gtin):
    assert format_uri(BASE, gtin, "L1") == f"{BASE}/01/{GTIN}/10/L1"


def test_format_joins_the_base_url_with_one_slash():
    assert format_uri(BASE + "/", GTIN) == f"{BASE}/01/{GTIN}"
    assert format_uri("http://127.0.0.1:5000", "96385074") == "http://127.0.0.1:5000/01/00000096385074"


def test_cpv_is_parsed_and_kept_in_the_canonical_order():
    link = parse_path(f"/01/{GTIN}/22/V2/10/LOT1/21/{CODE}")
    assert (link.cpv, link.lot, link.serial) == ("V2", "LOT1", CODE)
    assert link.path() == f"/01/{GTIN}/22/V2/10/LOT1/21/{CODE}"


def test_lot_pattern_is_the_services_rule():
    assert LOT_PATTERN.match("A" * 20) and LOT_PATTERN.match("a.b_c-9")
    for bad in ("", "A" * 21, "lô", "a/b", "a b", "a%20b", "a+b"):
        assert not LOT_PATTERN.match(bad)


@pytest.mark.parametrize("code", ["A" * 20, "a.b_c-9", "A" * 21, "lô", "a/b", "a%20b", "a+b"])
def test_a_lot_is_recorded_exactly_when_its_code_can_be_put_in_a_digital_link(code):
    from catalog.trace.lots import LotInput
    printable = bool(LOT_PATTERN.match(code))
    assert ("code" not in LotInput().validate({"code": code})) is printable
    if printable:
        assert format_uri(BASE, GTIN, code).endswith(f"/10/{code}")


# -- refusals: each message names the part and the problem ---------------------------------

@pytest.mark.parametrize(("path", "message"), [
    ("", "must start with /01/"),
    ("01/08934563138165", "must start with /01/"),
    ("/", "GTIN is missing"),
    ("/01", r"GTIN \(AI 01\) has no value"),
    ("/01/", r"GTIN \(AI 01\) has no value"),
    ("/10/LOT1/21/X", "must start with the GTIN key /01/, not /10/"),
    ("/01/08934563138164", "GTIN 08934563138164 has check digit 4, but its digits give 5"),
    ("/01/0893456313816A", r"GTIN \(AI 01\) '0893456313816A' must contain the digits 0-9 only"),
    ("/01/٠8934563138165", "digits 0-9 only"),
    ("/01/8934563138165", "has 13 digits; a Digital Link URI carries 14; write it as /01/08934563138165"),
    ("/01/96385074", "has 8 digits; a Digital Link URI carries 14; write it as /01/00000096385074"),
    ("/01/123456789", "has 9 digits; a Digital Link URI carries 14$"),
    ("/01/089345631381650", "has 15 digits"),
    (f"/01/{GTIN}/21/{CODE}/10/LOT1", r"lot \(AI 10\) comes after serial \(AI 21\); the order is 22, 10, 21"),
    (f"/01/{GTIN}/10/LOT1/22/V1", r"CPV \(AI 22\) comes after lot \(AI 10\)"),
    (f"/01/{GTIN}/10/A/10/B", r"lot \(AI 10\) appears twice"),
    (f"/01/{GTIN}/17/260101", "AI '17' is not allowed in the path: only 22, 10 and 21 may follow the GTIN"),
    (f"/01/{GTIN}/01/{GTIN}", "AI '01' is not allowed in the path"),
    (f"/01/{GTIN}/lot/LOT1", "AI 'lot' is not allowed"),
    (f"/01/{GTIN}/10", r"lot \(AI 10\) has no value"),
    (f"/01/{GTIN}/10/LOT1/21", r"serial \(AI 21\) has no value"),
    (f"/01/{GTIN}/10/LOT1/21/", r"serial \(AI 21\) has no value"),
    (f"/01/{GTIN}/10/{'L' * 21}", r"lot \(AI 10\) 'L{21}' must be 1 to 20 characters from A-Z"),
    (f"/01/{GTIN}/10/lô", r"lot \(AI 10\) 'lô' must be 1 to 20 characters"),
    (f"/01/{GTIN}/10/LOT1/21/A+B", r"serial \(AI 21\) 'A\+B' must be 1 to 20 characters"),
    (f"/01/{GTIN}/10/A%2FB", r"lot \(AI 10\) 'A%2FB' is percent-encoded"),
    (f"/01/{GTIN}/10/LOT1/21/%41", r"serial \(AI 21\) '%41' is percent-encoded"),
    ("/01/0893456313816%35", r"GTIN \(AI 01\) '0893456313816%35' is percent-encoded"),
    (f"/01/{GTIN}/%31%30/LOT1", "AI key '%31%30' is percent-encoded"),
    ("/01//10/LOT1", r"empty segment"),
    (f"/01/{GTIN}//10/LOT1", r"empty segment"),
    (f"/01/{GTIN}/10/LOT1//", r"empty segment"),
])
def test_parse_refuses_with_a_message_naming_the_problem(path, message):
    with pytest.raises(DigitalLinkError, match=message):
        parse_path(path)


def test_digital_link_error_is_a_value_error():
    assert issubclass(DigitalLinkError, ValueError)


@pytest.mark.parametrize(("args", "message"), [
    ((BASE, "08934563138164"), "has check digit 4, but its digits give 5"),
    ((BASE, "123456789"), "has 9 digits; a GTIN has 8, 12, 13 or 14"),
    ((BASE, GTIN, "LOT 1"), r"lot \(AI 10\) 'LOT 1' must be 1 to 20"),
    ((BASE, GTIN, "LOT1", "X" * 21), r"serial \(AI 21\) 'X{21}' must be 1 to 20"),
    ((BASE, GTIN, "LOT%201"), "percent-encoded"),
    (("ocop.example.vn", GTIN), "base URL 'ocop.example.vn' must be an http"),
    ((BASE + "?a=1", GTIN), "no query or fragment"),
])
def test_format_refuses_what_it_cannot_print(args, message):
    with pytest.raises(DigitalLinkError, match=message):
        format_uri(*args)


def test_a_digital_link_is_checked_when_built():
    with pytest.raises(DigitalLinkError, match="carries 14"):
        DigitalLink("8934563138165")
    with pytest.raises(DigitalLinkError, match=r"serial \(AI 21\)"):
        DigitalLink(GTIN, "LOT1", "bad/serial")


# -- an independent parser reads the same thing ---------------------------------------------

@pytest.mark.parametrize(("lot", "serial"), [
    (None, None), ("LOT1", None), ("LOT1", CODE), (None, CODE), ("ABCDEFGHIJ.klmnop_-9", "Z" * 20),
])
def test_biip_reads_gtin_lot_and_serial_intact(biip, lot, serial):
    uri = format_uri(BASE, "8934563138165", lot, serial)
    result = biip.parse(uri)
    assert result.gs1_digital_link_uri_error is None
    assert result.gtin is not None and result.gtin.value == GTIN and result.gtin_error is None
    dl = result.gs1_digital_link_uri
    assert dl.element_strings.get(ai="01").value == GTIN
    for ai, value in (("10", lot), ("21", serial)):
        found = dl.element_strings.get(ai=ai)
        assert (found.value if found else None) == value


# -- the linkset ----------------------------------------------------------------------------

PAGE = {"href": f"{BASE}/products/mat-ong-ban-ha", "title": "Mật ong bản Hạ", "type": "text/html", "hreflang": "vi"}
STAMP = {"href": f"{BASE}/s/{CODE}", "title": "Xác minh tem", "type": "text/html", "hreflang": ["vi", "en"]}
CERT = {"href": f"{BASE}/products/mat-ong-ban-ha#ocop", "title": "Chứng nhận OCOP 4 sao"}


def test_linkset_shape():
    anchor = BASE + f"/01/{GTIN}/10/LOT1/21/{CODE}"
    doc = linkset(anchor, {"gs1:verificationService": [STAMP], "gs1:pip": [PAGE], "gs1:certificationInfo": [CERT]},
                  description="Mật ong bản Hạ, lô LOT1")
    assert list(doc) == ["linkset"] and len(doc["linkset"]) == 1
    context = doc["linkset"][0]
    assert context["anchor"] == anchor
    assert context["description"] == "Mật ong bản Hạ, lô LOT1"
    assert context["https://gs1.org/voc/pip"] == [
        {"href": PAGE["href"], "title": PAGE["title"], "type": "text/html", "hreflang": ["vi"]}]
    assert context["https://gs1.org/voc/verificationService"][0]["hreflang"] == ["vi", "en"]
    assert context["https://gs1.org/voc/certificationInfo"] == [CERT]
    # the default link is the product information page, whatever order the links came in
    assert context["https://gs1.org/voc/defaultLink"] == context["https://gs1.org/voc/pip"]


def test_linkset_keys_and_targets_follow_the_gs1_schema():
    doc = linkset(BASE + f"/01/{GTIN}", {t: [CERT] for t in LINK_TYPES})
    context = doc["linkset"][0]
    for key, value in context.items():
        if key == "anchor":
            continue
        # relation types are full URIs (never "gs1:" CURIEs) in a linkset
        assert re.fullmatch(r"https://gs1\.org/voc/[A-Za-z]+", key), key
        for target in value:
            assert {"href", "title"} <= set(target) <= {"href", "title", "type", "hreflang"}
    assert LINKSET_MEDIA_TYPE == "application/linkset+json"


def test_linkset_default_link_falls_back_to_the_first_link_given():
    context = linkset(BASE + f"/01/{GTIN}", {"gs1:traceability": [CERT]})["linkset"][0]
    assert context["https://gs1.org/voc/defaultLink"] == [CERT]


@pytest.mark.parametrize(("anchor", "links", "message"), [
    (f"/01/{GTIN}", {"gs1:pip": [PAGE]}, "anchor .* must be an absolute"),
    (BASE, {"gs1:epil": [PAGE]}, "link type 'gs1:epil' is not one of"),
    (BASE, {"gs1:pip": [{"href": PAGE["href"]}]}, "needs href and title"),
    (BASE, {"gs1:pip": [{**PAGE, "rel": "x"}]}, "needs href and title, and only"),
    (BASE, {"gs1:pip": [{**PAGE, "href": "/products/x"}]}, "href '/products/x' must be an absolute"),
    (BASE, {"gs1:pip": [{**PAGE, "hreflang": "vie"}]}, "hreflang 'vie'"),
    (BASE, {}, "at least one link"),
    (BASE, {"gs1:pip": []}, "at least one link"),
])
def test_linkset_refuses_bad_input(anchor, links, message):
    with pytest.raises(ValueError, match=message):
        linkset(anchor, links)
