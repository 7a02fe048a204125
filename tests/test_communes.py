"""``flask --app catalog communes import``: the official commune list, checked whole, loaded all or nothing."""
from sqlalchemy import func, select

from catalog.kernel.models.units import Commune

GOOD = "code,name,kind,province_code\n02716,Vĩnh Tuy,xa,08\n00004,Ba Đình,Phường,01\n32001,Phú Quốc,dac_khu,91\n"


def communes(session):
    return session.scalar(select(func.count()).select_from(Commune))


def test_import_adds_and_updates(app, session, tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["communes", "import", str(path)])
    assert result.exit_code == 0 and "3 added, 0 updated" in result.output
    assert session.get(Commune, "00004").kind == "phuong"
    path.write_text(GOOD.replace("Ba Đình", "Ba Đình mới"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["communes", "import", str(path)])
    assert "0 added, 1 updated" in result.output and session.get(Commune, "00004").name == "Ba Đình mới"


def test_a_bad_line_loads_nothing_and_says_where(app, session, tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text(GOOD + "123,Sai mã,xa,01\n45678,Không rõ,thon,01\n45679,Tỉnh lạ,xa,99\n", encoding="utf-8")
    before = communes(session)
    result = app.test_cli_runner().invoke(args=["communes", "import", str(path)])
    assert result.exit_code == 1 and "nothing was loaded" in result.output
    for text in ("line 5: code '123'", "line 6: kind 'thon'", "line 7: province_code '99'"):
        assert text in result.output, text
    assert communes(session) == before


def test_a_commune_added_by_an_import_is_merged_into_its_official_row(app, session, tmp_path):
    from catalog.imports import communes as core_communes
    from catalog.kernel.models.producers import Producer
    from tests import factories
    added = core_communes.add_commune("Xã Vĩnh Tuy", "08")
    other = core_communes.add_commune("Xã Không Có Trong Danh Sách", "08")
    producer = factories.producer(commune_code=added.code, province_code="08")
    path = tmp_path / "communes.csv"
    path.write_text(GOOD.replace("Vĩnh Tuy", "VĨNH TUY"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["communes", "import", str(path)])
    assert result.exit_code == 0 and "1 added by imports replaced by their official code" in result.output
    session.expire_all()
    assert session.get(Producer, producer.id).commune_code == "02716"
    assert session.get(Commune, added.code) is None
    assert session.get(Commune, other.code) is not None           # no official row names it: kept
