"""Two officers recording decisions for one product at once: the product lock keeps the rules."""
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from catalog import create_app
from catalog.kernel import errors, recognitions
from catalog.kernel.db import db
from catalog.kernel.models.recognitions import Recognition
from tests import factories
from tests.factories import DECISION


@pytest.mark.postgres
def test_concurrent_first_recognitions_give_exactly_one(scratch_database):
    app = create_app({"DATABASE_URL": scratch_database("postgresql"), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        product_id = factories.product().id
        db.session.commit()

    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def officer(n: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                recognitions.recognise(product_id, actor=f"officer{n}", **{
                    **DECISION, "decision_number": f"{100 + n}/QĐ-UBND"})
                db.session.commit()
                outcomes.append("recorded")
            except errors.AlreadyRecognised:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with app.app_context():
        assert sorted(outcomes) == ["recorded", "refused", "refused", "refused"]
        assert db.session.scalar(select(func.count()).select_from(Recognition)) == 1
        db.session.remove()
        db.engine.dispose()
