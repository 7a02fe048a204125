"""Public pages. The home page shows what the catalog holds now, by the core's visibility rule."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from ..core import visibility
from ..core.models import Recognition
from ..extensions import db
from . import bp


@bp.get("/")
def home():
    in_force = visibility.in_force_recognitions().subquery()
    by_stars = dict(db.session.execute(
        select(in_force.c.stars, func.count()).group_by(in_force.c.stars)).all())
    newest = db.session.execute(
        visibility.visible_listings()
        .order_by(Recognition.decision_date.desc(), Recognition.id.desc()).limit(12)).all()
    return render_template("public/home.html", by_stars=by_stars,
                           total=sum(by_stars.values()), newest=newest)
