"""What search engines and link previews read: sitemap, robots.txt, schema.org JSON-LD."""
from __future__ import annotations

import json

from flask import Response, stream_with_context
from markupsafe import Markup

from catalog.kernel import visibility
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.platform.hosts import external_url
from catalog.public.blueprint import bp


@bp.get("/robots.txt")
def robots():
    body = "\n".join([
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /s/",
        f"Sitemap: {external_url('public.sitemap')}",
        "",
    ])
    return Response(body, mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    """Every product visible now (the core's rule), streamed in batches."""
    # Read everything before streaming: the request commits (and ends the transaction)
    # before the response body is sent. 20,000 slugs are about a megabyte.
    rows = db.session.execute(
        visibility.visible_listings().with_only_columns(Product.slug, Product.updated_at, Recognition.starts_at)
        .order_by(Product.id)).all()
    home = external_url("public.home")

    def generate():
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        yield f"<url><loc>{home}</loc></url>\n"
        for slug, updated_at, starts_at in rows:
            modified = max(updated_at, starts_at).date().isoformat()
            loc = external_url("public.product", slug=slug)
            yield f"<url><loc>{loc}</loc><lastmod>{modified}</lastmod></url>\n"
        yield "</urlset>\n"

    return Response(stream_with_context(generate()), mimetype="application/xml")


def product_json_ld(product: Product, recognition: Recognition) -> Markup:
    """schema.org ``Product`` with the producer as brand and the OCOP stars as an award."""
    producer = product.producer
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": external_url("public.product", slug=product.slug),
        "description": product.description or product.story or product.name,
        "category": product.set_info.name,
        "brand": {"@type": "Organization", "name": producer.name,
                  "address": {"@type": "PostalAddress", "addressRegion": producer.province.name,
                              "addressLocality": producer.commune.name if producer.commune else None,
                              "streetAddress": producer.address, "addressCountry": "VN"}},
        "award": f"OCOP {recognition.stars} sao — {recognition.decision_number}, "
                 f"hiệu lực đến {recognition.valid_until:%d/%m/%Y}",
    }
    if product.gtin:
        data["gtin14"] = product.gtin
    text = json.dumps(data, ensure_ascii=False)
    # JSON inside <script>: no "<", ">" or "&" may reach the HTML parser.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
