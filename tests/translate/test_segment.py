from __future__ import annotations

from babelwire.model import Block, BlockKind
from babelwire.translate.protect import find_spans
from babelwire.translate.segment import CELL_SEPARATOR, Piece, block_pieces, rejoin, text_pieces


def texts(pieces: list[Piece]) -> list[str]:
    return [p.text for p in pieces]


def test_paragraph_becomes_sentences_joined_by_spaces() -> None:
    pieces = text_pieces("Первое. Второе!", "ru", 400, find_spans)
    assert texts(pieces) == ["Первое.", "Второе!"]
    assert rejoin(pieces, ["First.", "Second!"]) == "First. Second!"


def test_chinese_sentences_are_joined_with_a_space_in_english() -> None:
    pieces = text_pieces("第一句。第二句。", "zh", 400, find_spans)
    assert rejoin(pieces, ["One.", "Two."]) == "One. Two."


def test_line_breaks_inside_a_unit_are_kept() -> None:
    pieces = text_pieces("Строка один.\nСтрока два.", "ru", 400, find_spans)
    assert rejoin(pieces, ["Line one.", "Line two."]) == "Line one.\nLine two."


def test_table_row_cells_stay_apart() -> None:
    block = Block(BlockKind.TABLE_ROW, "Год | Сумма", cells=("Год", "", "Сумма. Итог."))
    pieces = block_pieces(block, "ru", 400, find_spans)
    assert texts(pieces) == ["Год", "", "Сумма.", "Итог."]
    joined = rejoin(pieces, ["Year", "", "Amount.", "Total."])
    assert joined == f"Year{CELL_SEPARATOR}{CELL_SEPARATOR}Amount. Total."


def test_long_sentence_is_cut_at_the_best_clause_boundary_and_rejoined() -> None:
    text = "Первая часть длинного предложения, с запятой; вторая часть: и ещё немного слов."
    pieces = text_pieces(text, "ru", 50, find_spans)
    assert texts(pieces) == [
        "Первая часть длинного предложения, с запятой;",
        "вторая часть: и ещё немного слов.",
    ]
    assert rejoin(pieces, ["A;", "b."]) == "A; b."


def test_long_sentence_without_marks_is_cut_at_whitespace() -> None:
    text = " ".join(["слово"] * 40)
    pieces = text_pieces(text, "ru", 60, find_spans)
    assert all(len(p.text) <= 60 for p in pieces)
    assert " ".join(texts(pieces)) == text


def test_cut_never_falls_inside_a_protected_span() -> None:
    # No spaces (Chinese) and a long number right at the limit.
    text = "会议" * 14 + "22025415" + "会议" * 14
    pieces = text_pieces(text, "zh", 32, find_spans)
    assert "".join(texts(pieces)) == text
    assert any("22025415" in p.text for p in pieces)
    assert all(len(p.text) <= 40 for p in pieces)


def test_pieces_carry_their_spans_rebased() -> None:
    pieces = text_pieces("Первое 12. Второе 345.", "ru", 400, find_spans)
    second = pieces[1]
    assert [second.text[s.start : s.end] for s in second.spans] == ["345"]


def test_comma_inside_a_number_is_not_a_cut_point() -> None:
    text = "Итог " + "а" * 30 + " 1,5 " + "б" * 30
    pieces = text_pieces(text, "ru", 45, find_spans)
    assert all("1,5" in p.text or "1" not in p.text for p in pieces)
