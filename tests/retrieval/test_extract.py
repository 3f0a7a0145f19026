"""Text extraction (`retrieval.extract`): each kind of file, the errors, and streaming."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import AsyncIterator, Iterable

import docx
import pypdf
import pytest

from assistants_server.retrieval.extract import (
    ExtractionError,
    Kind,
    UnreadableFile,
    UnsupportedFile,
    extract_text,
    is_supported,
    kind_of,
)


async def stream(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def extract(filename: str, data: bytes, size: int = 7) -> str:
    return "".join([piece async for piece in extract_text(filename, stream(data, size))])


def make_pdf(pages: Iterable[str]) -> bytes:
    """A minimal PDF, written by hand: one Helvetica text line per page."""
    texts = list(pages)
    kids = " ".join(f"{4 + 2 * number} 0 R" for number in range(len(texts)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(texts)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for number, text in enumerate(texts):
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * number)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Quarterly report", level=1)
    document.add_paragraph("Revenue grew in every region.")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(
        table.rows, [("Region", "Q1", "Q2"), ("North", "10", "12")], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Merged once"
    document.add_paragraph("")
    document.add_paragraph("The end.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class TestKinds:
    @pytest.mark.parametrize(
        ("filename", "kind"),
        [
            ("notes.txt", Kind.TEXT),
            ("README.MD", Kind.TEXT),
            ("dir/app.py", Kind.TEXT),
            ("data.csv", Kind.TEXT),
            ("conf.YAML", Kind.TEXT),
            ("page.htm", Kind.HTML),
            ("paper.pdf", Kind.PDF),
            ("report.docx", Kind.DOCX),
        ],
    )
    def test_by_extension(self, filename: str, kind: Kind) -> None:
        assert kind_of(filename) is kind
        assert is_supported(filename)

    @pytest.mark.parametrize("filename", ["setup.exe", "old.doc", "Makefile", ".bashrc", "a."])
    def test_unsupported(self, filename: str) -> None:
        assert not is_supported(filename)
        with pytest.raises(UnsupportedFile) as caught:
            kind_of(filename)
        assert filename in caught.value.message
        assert ".pdf" in caught.value.message
        assert ".docx" in caught.value.message
        assert caught.value.code == "unsupported_file"

    async def test_unsupported_message_names_the_extension(self) -> None:
        with pytest.raises(UnsupportedFile, match=r"extension '\.exe'") as caught:
            await extract("setup.exe", b"MZ")
        assert isinstance(caught.value, ExtractionError)


class TestText:
    async def test_multibyte_characters_split_across_chunks(self) -> None:
        text = "héllo wörld — 日本語 😀\nline two\n"
        assert await extract("notes.txt", text.encode(), size=1) == text

    @pytest.mark.parametrize("filename", ["data.csv", "data.json", "main.go", "lib.rs"])
    async def test_code_and_data_kept_verbatim(self, filename: str) -> None:
        text = 'id,name\n1,"Ada, Countess"\n{"key": [1, 2]}\nfunc main() { fmt.Println("hi") }\n'
        assert await extract(filename, text.encode()) == text

    async def test_byte_order_mark_dropped(self) -> None:
        assert await extract("notes.txt", b"\xef\xbb\xbfhello", size=1) == "hello"

    async def test_empty_file(self) -> None:
        assert await extract("empty.txt", b"") == ""

    async def test_invalid_utf8(self) -> None:
        with pytest.raises(UnreadableFile) as caught:
            await extract("notes.txt", b"valid text \xff\xfe more", size=4)
        assert caught.value.message == (
            "The file notes.txt could not be read as text: it is not valid UTF-8 "
            "(invalid byte at offset 11)."
        )
        assert caught.value.code == "invalid_file"

    async def test_truncated_character_at_end(self) -> None:
        with pytest.raises(UnreadableFile, match=r"offset 3\b"):
            await extract("notes.md", "abcé".encode()[:-1])


class TestHtml:
    async def test_tags_scripts_and_styles_stripped(self) -> None:
        html = (
            "<!DOCTYPE html><html><head><title>The title</title>"
            "<style>body { color: red }</style>"
            '<script>var s = "<p>not text</p>";</script></head>'
            "<body><h1>Heading</h1><p>Hello &amp; <b>bold</b>\n   world</p>"
            "<ul><li>one</li><li>two</li></ul><br/>after<noscript>enable js</noscript>"
            "<pre>  keep\n    indent</pre></body></html>"
        )
        text = await extract("page.html", html.encode(), size=5)
        assert text == (
            "The title\nHeading\nHello & bold world\none\ntwo\nafter\n  keep\n    indent\n"
        )

    async def test_unclosed_script_hides_the_rest(self) -> None:
        assert await extract("page.html", b"<p>shown</p><script>if (a < b) {") == "shown\n"

    async def test_invalid_utf8(self) -> None:
        with pytest.raises(UnreadableFile, match=r"page\.htm could not be read as text"):
            await extract("page.htm", b"<p>caf\xe9</p>")


class TestPdf:
    async def test_pages_in_order(self) -> None:
        data = make_pdf(["First page text", "Second page text"])
        text = await extract("paper.pdf", data, size=64)
        assert text == "First page text\n\nSecond page text\n\n"

    async def test_spools_to_disk_past_the_memory_limit(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from assistants_server.retrieval import extract as module

        monkeypatch.setattr(module, "SPOOL_MAX_SIZE", 100)
        text = await extract("paper.pdf", make_pdf(["Spooled"]), size=10)
        assert text == "Spooled\n\n"

    @pytest.mark.parametrize(
        "data",
        [b"", b"this is not a PDF", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", make_pdf(["x"])[:60]],
    )
    async def test_corrupt(self, data: bytes) -> None:
        with pytest.raises(UnreadableFile) as caught:
            await extract("broken.pdf", data)
        assert caught.value.message.startswith("The file broken.pdf could not be read as PDF: ")

    async def test_password_protected(self) -> None:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf(["secret"])))
        writer.encrypt(user_password="hunter2", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        with pytest.raises(UnreadableFile, match="password-protected"):
            await extract("locked.pdf", out.getvalue())


class TestDocx:
    async def test_paragraphs_and_tables_in_order(self) -> None:
        text = await extract("report.docx", make_docx(), size=1000)
        assert text == (
            "Quarterly report\n"
            "Revenue grew in every region.\n"
            "Region\tQ1\tQ2\n"
            "North\t10\t12\n"
            "Merged once\n"
            "The end.\n"
        )

    @pytest.mark.parametrize(
        "data",
        [b"", b"not a zip", b"PK\x03\x04broken zip", make_docx()[:200]],
    )
    async def test_corrupt(self, data: bytes) -> None:
        with pytest.raises(UnreadableFile) as caught:
            await extract("broken.docx", data)
        assert caught.value.message.startswith("The file broken.docx could not be read as DOCX: ")

    async def test_zip_that_is_not_a_document(self) -> None:
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hi")
        with pytest.raises(UnreadableFile, match="could not be read as DOCX"):
            await extract("fake.docx", out.getvalue())


async def large_text(total: int, chunk_size: int = 1024 * 1024) -> AsyncIterator[bytes]:
    line = "The quick brown fox jumps over the lazy dog; ünïcödé 日本語 text.\n".encode()
    chunk = line * (chunk_size // len(line))
    sent = 0
    while sent < total:
        yield chunk
        sent += len(chunk)


async def test_large_text_streams_in_bounded_memory() -> None:
    total = 20 * 1024 * 1024
    characters = 0
    tracemalloc.start()
    try:
        async for piece in extract_text("big.txt", large_text(total)):
            characters += len(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert characters > total // 2
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"
