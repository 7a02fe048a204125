"""An import-linter contract of this project's own (pyproject ``[tool.importlinter]``): features meet
through each other's public API only.

A module of one feature may import another feature's package (``catalog.trace``, whose
``__init__`` says what trace offers) and nothing below it (``catalog.trace.verdicts``). The
demo-data generator, a tool outside the runtime that bulk-loads every table, is exempt.
"""
from __future__ import annotations

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class PublicApiContract(Contract):
    type_name = "public_api"

    features = fields.ListField(subfield=fields.StringField())
    #: Top-level packages outside the runtime (the demo-data generator) that may load any feature's tables.
    tools = ("catalog_demo",)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        features = [str(name) for name in self.features]  # type: ignore[attr-defined]
        broken = []
        for feature in features:
            inside = {feature, *graph.find_descendants(feature)}
            for imported in sorted(inside - {feature}):
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    if importer in inside or importer.split(".")[0] in self.tools:
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = sorted({detail["line_number"] for detail in details})
                    broken.append({"importer": importer, "imported": imported, "feature": feature, "lines": lines})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            output.print_error(
                f"{item['importer']} imports {item['imported']} (l. {', '.join(map(str, item['lines']))}): "
                f"use what {item['feature']} exports instead", bold=False)
            output.new_line()
