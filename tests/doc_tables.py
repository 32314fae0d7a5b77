"""Read the tables of docs/algorithms/*.md, so that every worked table there is also a test.

A table is marked in the Markdown with ``<!-- table: NAME -->`` on the line before it."""

from pathlib import Path

ALGORITHMS = Path(__file__).resolve().parents[1] / "docs" / "algorithms"


def doc_table(document: str, name: str) -> list[dict[str, str]]:
    text = (ALGORITHMS / document).read_text(encoding="utf-8")
    block = text.split(f"<!-- table: {name} -->", 1)[1].strip().splitlines()
    lines = block[: next((i for i, line in enumerate(block) if not line.startswith("|")), len(block))]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True)) for line in lines[2:]]
